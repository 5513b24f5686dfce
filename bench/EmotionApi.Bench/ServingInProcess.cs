using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;

namespace EmotionApi.Bench;

/// <summary>
/// What serving costs without HTTP: a saved model classifying an image in this process, the way the service does it
/// (<see cref="ImageCodec.Prepare"/>, then <see cref="TrainedModel.PredictPositive"/>), with the service's torch
/// settings. bench/serving.sh sets the service's latency beside these figures. The last lines are key=value pairs
/// for that script.
/// </summary>
internal static class ServingInProcess
{
    private const int Batch = 32;

    public static void Run(BenchContext context)
    {
        var (modelFolder, imagePath) = (context.Options.Model, context.Options.Image);
        if (modelFolder is null || imagePath is null) throw new ArgumentException("serving-inprocess needs --model DIR and --image FILE.");
        using var model = TrainedModel.Load(modelFolder);
        var encoded = File.ReadAllBytes(imagePath);
        var limits = new ImageLimits();
        var prepared = ImageCodec.Prepare(encoded, model.InputSize, limits);
        var single = new[] { prepared };
        var batch = Enumerable.Repeat(prepared, Batch).ToArray();

        // Round-robin, so load from other work hits the three alike.
        var timed = Timing.Compare(
        [
            () => ImageCodec.Prepare(encoded, model.InputSize, limits),
            () => model.PredictPositive(single),
            () => model.PredictPositive(batch),
        ], warmup: 20, context.Runs(300));
        var (decode, one, many) = (timed[0], timed[1], timed[2]);
        Console.WriteLine($"  model {model.Manifest.Network} {model.InputSize}, image {Path.GetFileName(imagePath)} ({encoded.Length} bytes)");
        Console.WriteLine($"  decode + prepare: {Timed.Format(decode.MedianSeconds)} (best {Timed.Format(decode.BestSeconds)})");
        Console.WriteLine($"  one image:        {Timed.Format(one.MedianSeconds)} (best {Timed.Format(one.BestSeconds)})");
        Console.WriteLine($"  batch of {Batch}:      {Batch / many.MedianSeconds:F0} img/s (best {Batch / many.BestSeconds:F0})");

        // One image after the process idled for a client's round trip, as a lone client's request finds it: torch's
        // threads asleep (OMP_WAIT_POLICY=PASSIVE) and, on a VM, their idle vCPU halted. Against back-to-back passes above.
        var (busy, afterPause) = Timing.AfterPause(() => model.PredictPositive(single), TimeSpan.FromMilliseconds(2), context.Runs(300));
        Console.WriteLine($"  one image right after another: {Timed.Format(busy.MedianSeconds)} (best {Timed.Format(busy.BestSeconds)}); " +
            $"after a 2 ms pause: {Timed.Format(afterPause.MedianSeconds)} (best {Timed.Format(afterPause.BestSeconds)})");

        // Images per second against batch size: what a shared forward pass gains (and where it stops gaining).
        int[] sizes = [1, 2, 4, 8, 16, 32, 64];
        var swept = Timing.Compare(
            sizes.Select(size => (Action)(() => model.PredictPositive(Enumerable.Repeat(prepared, size).ToArray()))).ToList(),
            warmup: 5, context.Runs(60));
        Console.WriteLine("  images/s by batch size: " + string.Join(", ", sizes.Select((size, i) => $"{size}: {size / swept[i].MedianSeconds:F0}")));
        for (var i = 0; i < sizes.Length; i++) Console.WriteLine($"inprocess_batch{sizes[i]}_sweep_images_per_second={sizes[i] / swept[i].MedianSeconds:F1}");
        context.Summarise($"in-process: one image {Timed.Format(one.MedianSeconds)}, decoding {Timed.Format(decode.MedianSeconds)}, batch of {Batch} {Batch / many.MedianSeconds:F0} img/s");
        Console.WriteLine($"inprocess_decode_ms={decode.MedianSeconds * 1000:F3}");
        Console.WriteLine($"inprocess_single_ms={one.MedianSeconds * 1000:F3}");
        Console.WriteLine($"inprocess_single_best_ms={one.BestSeconds * 1000:F3}");
        Console.WriteLine($"inprocess_single_back_to_back_ms={busy.MedianSeconds * 1000:F3}");
        Console.WriteLine($"inprocess_single_after_pause_ms={afterPause.MedianSeconds * 1000:F3}");
        Console.WriteLine($"inprocess_batch32_images_per_second={Batch / many.MedianSeconds:F1}");
    }
}
