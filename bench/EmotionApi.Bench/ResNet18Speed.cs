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
        var creation = Timing.Measure(() => ResNet18.Pretrained().Dispose(), warmup: 1, context.Runs(5));
        Console.WriteLine($"  creating the pretrained network (reading the 64 MB weights file into it): {creation}");

        var full = sides.Select(side => new TrainingStep(NetworkCatalog.ResNet18, new ImageSize(side, side), TrainingBatch, LearningRate, WeightDecay)).ToList();
        var frozen = full.Select(step => new FrozenBackboneStep((ResNet18)step.Model, step.Size, TrainingBatch)).ToList();
        var singles = sides.Select(side => RandomBatch(1, new ImageSize(side, side))).ToList();
        var batches = sides.Select(side => RandomBatch(InferenceBatch, new ImageSize(side, side))).ToList();
        try
        {
            // Every side in one round-robin: a burst of load hits them alike, so their ratios stay fair.
            var inference = Timing.Compare(
                full.SelectMany((step, i) => new Action[] { () => Infer((ResNet18)step.Model, singles[i]), () => Infer((ResNet18)step.Model, batches[i]) }).ToList(),
                warmup: 2, context.Runs(10));
            var training = Timing.Compare(
                full.SelectMany((step, i) => new Action[] { () => { step.Model.train(); step.Run(); }, frozen[i].Run }).ToList(),
                warmup: 1, context.Runs(5));

            Console.WriteLine("  medians (best of runs in brackets); sides timed round-robin");
            Console.WriteLine("  side | GMAC/img | infer 1 image   | infer per image, batch 16 | train step of 16: full | frozen backbone | full/frozen | full vs 224");
            var summary = new List<string>();
            for (var i = 0; i < sides.Length; i++)
            {
                var (alone, batched, fullStep, frozenStep) = (inference[2 * i], inference[2 * i + 1], training[2 * i], training[2 * i + 1]);
                Console.WriteLine($"  {sides[i],4} | {full[i].MultiplyAccumulates / 1e9,8:F2} | {Timed.Format(alone.MedianSeconds),7} ({Timed.Format(alone.BestSeconds),7}) | " +
                                  $"{Timed.Format(batched.MedianSeconds / InferenceBatch),13} ({Timed.Format(batched.BestSeconds / InferenceBatch),8}) | " +
                                  $"{Timed.Format(fullStep.MedianSeconds),10} ({Timed.Format(fullStep.BestSeconds),8}) | " +
                                  $"{Timed.Format(frozenStep.MedianSeconds),6} ({Timed.Format(frozenStep.BestSeconds),8}) | " +
                                  $"{fullStep.MedianSeconds / frozenStep.MedianSeconds,11:F1} | {fullStep.MedianSeconds / training[0].MedianSeconds,11:F2}");
                summary.Add($"{sides[i]}: step of 16 {Timed.Format(fullStep.MedianSeconds)} full / {Timed.Format(frozenStep.MedianSeconds)} frozen, " +
                            $"inference {Timed.Format(batched.MedianSeconds / InferenceBatch)} per image");
            }
            Console.WriteLine($"  full step at 224: {full[0].TrainingFlops / training[0].MedianSeconds / 1e9:F0} GFLOP/s " +
                              $"= {full[0].TrainingFlops / training[0].MedianSeconds / 1e9 / context.LimitGflops:P0} of this run's FMA limit");
            context.Summarise("resnet18: " + string.Join("; ", summary));
        }
        finally
        {
            frozen.ForEach(step => step.Dispose());
            full.ForEach(step => step.Dispose());
            singles.Concat(batches).ToList().ForEach(tensor => tensor.Dispose());
        }
        if (!context.Options.Quick) CompareLayouts(context);
        Console.WriteLine($"  load at end {Machine.LoadAverage()}");
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
