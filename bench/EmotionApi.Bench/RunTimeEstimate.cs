using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>
/// What a whole run of a preset costs, from the costs of its parts timed round-robin in one process: a training step
/// (and a warm-up step with the backbone frozen), and inference per image (validation each epoch, the test set at the
/// end, twice with flip test-time augmentation, and the frozen variant's features of each image and its mirror),
/// multiplied by how many of each a run of 300 and of 1,630 images takes. On a shared machine whole runs take what the
/// load leaves them; these parts are timed together, so the estimate holds at the speed this run saw, and scales to a
/// quiet machine by the sgemm peak measured now against the quiet machine's (docs/performance.md: 192 GFLOP/s).
/// Decoding the images (under 4% of a run, docs/performance.md) is left out.
/// </summary>
internal static class RunTimeEstimate
{
    private const double QuietSgemmGflops = 192;
    private static readonly int[] ImageCounts = [300, 1_630];

    public static void Run(BenchContext context)
    {
        var presets = context.Options.Presets.Count > 0
            ? context.Options.Presets
            : [TrainingPresets.Default, TrainingPresets.Pretrained, TrainingPresets.PretrainedFrozen];
        var peak = context.SgemmGflops;
        var quiet = QuietSgemmGflops / peak;
        Console.WriteLine($"  sgemm now {peak:F0} GFLOP/s: a quiet machine ({QuietSgemmGflops:F0}) is {quiet:F1}x faster; load {Machine.LoadAverage()}");
        foreach (var name in presets)
        {
            var settings = SettingsOverrides.Apply(TrainingPresets.Get(name), context.Options.Overrides);
            var (step, warmupStep, perImage) = TimeParts(context, settings);
            Console.WriteLine($"  {name} ({settings.Network} {settings.ImageHeight}x{settings.ImageWidth}, batch {settings.BatchSize}): " +
                              $"step {step}, warm-up step {(warmupStep is { } w ? w.ToString() : "-")}, inference {Timed.Format(perImage.MedianSeconds)} per image");
            foreach (var count in ImageCounts)
            {
                var median = Seconds(settings, count, step.MedianSeconds, warmupStep?.MedianSeconds, perImage.MedianSeconds);
                var best = Seconds(settings, count, step.BestSeconds, warmupStep?.BestSeconds, perImage.BestSeconds);
                Console.WriteLine($"    {count,5} images: {median:F0} s at this run's speed (best rounds {best:F0} s); quiet machine about {median / quiet:F0} s");
                context.Summarise($"{name}, {count} images: about {median / quiet / 60:F1} min on a quiet machine ({median / 60:F1} min at this run's load)");
            }
        }
    }

    /// <summary>Median and best of a training step, a warm-up step (pretrained networks with a warm-up) and inference per image.</summary>
    private static (Timed Step, Timed? WarmupStep, Timed PerImage) TimeParts(BenchContext context, TrainingSettings settings)
    {
        var size = new ImageSize(settings.ImageHeight, settings.ImageWidth);
        using var step = new TrainingStep(settings.Network, size, settings.BatchSize, settings.LearningRate, settings.WeightDecay);
        using var batch = ChannelsLast.Of(rand(settings.BatchSize, 3, size.Height, size.Width)).DetachFromDisposeScope();
        var tunable = step.Model as IFineTunable;
        var actions = new List<Action> { () => Train(step, tunable, frozen: false), () => Infer(step.Model, batch) };
        if (tunable is not null) actions.Add(() => Train(step, tunable, frozen: true));
        var timed = Timing.Compare(actions, warmup: 1, context.Runs(tunable is null ? 8 : 4));
        var perImage = new Timed(timed[1].MedianSeconds / settings.BatchSize, timed[1].BestSeconds / settings.BatchSize, timed[1].Runs);
        return (timed[0], tunable is null ? null : timed[2], perImage);
    }

    private static void Train(TrainingStep step, IFineTunable? tunable, bool frozen)
    {
        step.Model.train();
        if (tunable is not null)
        {
            tunable.BackboneFrozen = frozen;
            if (frozen) tunable.Backbone.eval();
        }
        step.Run();
        if (tunable is not null) tunable.BackboneFrozen = false;
    }

    private static void Infer(nn.Module<Tensor, Tensor> network, Tensor batch)
    {
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.call(batch);
    }

    /// <summary>The parts a run of <paramref name="count"/> images takes, at the given costs.</summary>
    private static double Seconds(TrainingSettings settings, int count, double step, double? warmupStep, double perImage)
    {
        var test = (int)(count * settings.TestFraction);
        var validation = (int)((count - test) * settings.ValidationFraction);
        var train = count - test - validation;
        var steps = (train + settings.BatchSize - 1) / settings.BatchSize;
        var views = settings.TestTimeFlip ? 2 : 1;
        // Without a validation part the test set is scored after every epoch instead.
        var monitored = (validation > 0 ? validation : test) * views * perImage;
        var evaluation = test * views * perImage;
        if (settings.FreezeBackbone)
            // Each image of training and validation, and its mirror, once; the head's epochs take milliseconds.
            return (train + validation) * 2 * perImage + evaluation;
        var warmup = Math.Min(settings.WarmupEpochs, settings.Epochs);
        return warmup * steps * (warmupStep ?? step) + (settings.Epochs - warmup) * steps * step + settings.Epochs * monitored + evaluation;
    }
}
