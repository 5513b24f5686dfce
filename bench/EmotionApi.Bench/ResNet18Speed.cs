using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>
/// ResNet-18 (pretrained, network "resnet18") against input side: inference (one image alone, and per image in a
/// batch), and one training step of a batch of 16 with every layer trained against the backbone frozen (its
/// features computed without gradients in eval mode, only the head trained). The sides a fine-tuning preset
/// may choose from: 224 is what the weights learnt at, smaller sides cost less.
/// </summary>
internal static class ResNet18Speed
{
    private const int TrainingBatch = 16;
    private const int InferenceBatch = 16;
    private const double LearningRate = 1e-4;
    private const double WeightDecay = 0.05;

    public static void Run(BenchContext context)
    {
        var sides = context.Options.Quick ? new[] { 224, 128 } : new[] { 224, 192, 160, 128, 112, 96 };
        Console.WriteLine($"  load at start {Machine.LoadAverage()}");
        Console.WriteLine("  side | MMAC/img | infer 1 image | infer per image (batch 16) | train step batch 16: full | frozen backbone | full/frozen | full img/s");
        var summary = new List<string>();
        foreach (var side in sides)
        {
            var size = new ImageSize(side, side);
            using var full = new TrainingStep(NetworkCatalog.ResNet18, size, TrainingBatch, LearningRate, WeightDecay);
            var network = (ResNet18)full.Model;
            using var frozen = new FrozenBackboneStep(network, size, TrainingBatch);
            using var single = RandomBatch(1, size);
            using var batch = RandomBatch(InferenceBatch, size);

            var inference = Timing.Compare([() => Infer(network, single), () => Infer(network, batch)], warmup: 2, context.Runs(10));
            var training = Timing.Compare(
                [
                    () => { network.train(); full.Run(); },
                    frozen.Run,
                ],
                warmup: 1, context.Runs(side >= 160 ? 4 : 6));

            var perImage = inference[1].MedianSeconds / InferenceBatch;
            Console.WriteLine($"  {side,4} | {full.MultiplyAccumulates / 1e6,8:F0} | {Timed.Format(inference[0].MedianSeconds),13} | " +
                              $"{Timed.Format(perImage),26} | {Timed.Format(training[0].MedianSeconds),25} | {Timed.Format(training[1].MedianSeconds),15} | " +
                              $"{training[0].MedianSeconds / training[1].MedianSeconds,11:F1} | {TrainingBatch / training[0].MedianSeconds,10:F1}");
            Console.WriteLine($"         best of runs: infer 1 {Timed.Format(inference[0].BestSeconds)}, batch {Timed.Format(inference[1].BestSeconds / InferenceBatch)}/img, " +
                              $"full {Timed.Format(training[0].BestSeconds)}, frozen {Timed.Format(training[1].BestSeconds)}; " +
                              $"full step {full.TrainingFlops / training[0].MedianSeconds / 1e9:F0} GFLOP/s");
            summary.Add($"{side}: infer {Timed.Format(inference[0].MedianSeconds)} alone / {Timed.Format(perImage)} per image, " +
                        $"step of 16 {Timed.Format(training[0].MedianSeconds)} full / {Timed.Format(training[1].MedianSeconds)} frozen");
        }
        if (!context.Options.Quick) CompareLayouts(context);
        Console.WriteLine($"  load at end {Machine.LoadAverage()}");
        context.Summarise("resnet18: " + string.Join("; ", summary));
    }

    // channels_last against plain NCHW for a full training step at 224: the layout choice compact-cnn measured, for ResNet-18.
    private static void CompareLayouts(BenchContext context)
    {
        var size = new ImageSize(224, 224);
        using var nchw = new TrainingStep(NetworkCatalog.ResNet18, size, TrainingBatch, LearningRate, WeightDecay, channelsLast: false);
        using var channelsLast = new TrainingStep(NetworkCatalog.ResNet18, size, TrainingBatch, LearningRate, WeightDecay);
        var timed = Timing.Compare([nchw.Run, channelsLast.Run], warmup: 1, context.Runs(4));
        Console.WriteLine($"  full step at 224, batch 16: NCHW {timed[0]}, channels_last {timed[1]}: channels_last {timed[0].MedianSeconds / timed[1].MedianSeconds:F2}x");
    }

    private static void Infer(ResNet18 network, Tensor images)
    {
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.call(images);
    }

    private static Tensor RandomBatch(int count, ImageSize size)
    {
        using var plain = rand(count, 3, size.Height, size.Width);
        return ChannelsLast.Of(plain).DetachFromDisposeScope();
    }

    /// <summary>A step that trains the head alone: the backbone's features without gradients (eval mode), then the head's AdamW step.</summary>
    private sealed class FrozenBackboneStep : IDisposable
    {
        private readonly ResNet18 network;
        private readonly TorchSharp.Modules.OptimizerHelper optimizer;
        private readonly Tensor images;
        private readonly Tensor targets;

        public FrozenBackboneStep(ResNet18 network, ImageSize size, int batchSize)
        {
            this.network = network;
            optimizer = optim.AdamW(network.Head.parameters(), LearningRate, weight_decay: WeightDecay);
            images = RandomBatch(batchSize, size);
            targets = arange(batchSize).remainder(2).to_type(ScalarType.Float32).DetachFromDisposeScope();
        }

        public void Run()
        {
            network.Backbone.eval();
            network.Head.train();
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor features;
            using (no_grad()) features = network.Backbone.call(images);
            var logits = network.Head.call(features).squeeze(1);
            nn.functional.binary_cross_entropy_with_logits(logits, targets).backward();
            optimizer.step();
        }

        public void Dispose()
        {
            optimizer.Dispose();
            images.Dispose();
            targets.Dispose();
        }
    }
}
