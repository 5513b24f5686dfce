using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>
/// A preset's network at the preset's size and batch: training throughput and share of the FMA limit (and of sgemm),
/// the cost of a training batch's input against a training step (preparing bytes to floats, or, with augmentation,
/// the fused warp from the bytes the training loop runs, beside the two passes it replaced), inference
/// throughput (batch 32) and single-image latency.
/// </summary>
internal static class PresetThroughput
{
    private const int InferenceBatch = 32;
    // Photo-sized sources for the decoding figure (the article's Flickr images were larger than 400x500).
    private const int GeneratedWidth = 640;
    private const int GeneratedHeight = 480;

    public static void Run(BenchContext context, string presetName)
    {
        var preset = TrainingPresets.Get(presetName);
        var size = new ImageSize(preset.ImageHeight, preset.ImageWidth);
        var batchSize = preset.BatchSize;
        using var step = new TrainingStep(preset.Network, size, batchSize, preset.LearningRate, preset.WeightDecay);
        Console.WriteLine($"  {preset.Network} at {size}, batch {batchSize}: {step.MultiplyAccumulates / 1e6:F1} M multiply-accumulates per image forward, " +
                          $"{step.TrainingFlops / batchSize / 1e9:F2} GFLOP per image trained");
        if (step.ExecutedMultiplyAccumulates < step.MultiplyAccumulates)
            Console.WriteLine($"  (its forward pass executes {step.ExecutedMultiplyAccumulates / 1e6:F1} M of them: shares below count its layers as specified, " +
                              "so they measure speed against the plain network's work, not the hardware's)");

        var images = new PreparedImageList(size, RandomImages(size, batchSize, seed: 1));
        var indices = Enumerable.Range(0, batchSize).ToArray();
        using var pixels = new BatchPixels(size, batchSize);
        var augmenter = preset.Augmentation.IsIdentity ? null : new BatchAugmenter(preset.Augmentation);
        using var augmentedInput = augmenter is null ? null : new AugmentedInput(augmenter, size, batchSize);
        // Same seeds: both augmented paths warp by the same sequence of transforms.
        var (twoPassRandom, fusedRandom) = (new Random(1), new Random(1));

        var actions = new List<Action>
        {
            step.Run,
            // Reading the batch's bytes then converting them: what an evaluation or prediction batch costs.
            () =>
            {
                pixels.Fill(images, indices);
                NetworkInput.Batch(pixels).Dispose();
            },
        };
        if (augmenter is not null)
        {
            // What the training loop ran before: the float batch, then the warp of it.
            actions.Add(() =>
            {
                using var scope = NewDisposeScope();
                pixels.Fill(images, indices);
                augmenter.Apply(NetworkInput.Batch(pixels), twoPassRandom);
            });
            // What it runs now: the warp straight from the batch's bytes (read ahead by the reader's thread) into its reused buffer.
            actions.Add(() =>
            {
                using var scope = NewDisposeScope();
                augmentedInput!.Batch(pixels, fusedRandom);
            });
        }
        var timed = Timing.Compare(actions, warmup: 2, context.Runs(step.TrainingFlops > 1e11 ? 5 : 12));
        var (train, preparation) = (timed[0], timed[1]);

        var imagesPerSecond = batchSize / train.MedianSeconds;
        var gflops = step.TrainingFlops / train.MedianSeconds / 1e9;
        var share = gflops / context.LimitGflops;
        Console.WriteLine($"  training step:     {train}: {imagesPerSecond:F1} img/s, {gflops:F0} GFLOP/s, {share:P0} of the FMA limit " +
                          $"(best {step.TrainingFlops / train.BestSeconds / 1e9 / context.LimitGflops:P0}), {gflops / context.SgemmGflops:P0} of sgemm");
        Console.WriteLine($"  batch preparation: {preparation}: {preparation.MedianSeconds / train.MedianSeconds:P1} of a step " +
                          $"({(augmenter is null ? "the training input" : "validation, test and prediction batches")})");
        double inputShare;
        if (augmenter is null)
        {
            Console.WriteLine("  augmentation:      none in this preset");
            inputShare = preparation.MedianSeconds / train.MedianSeconds;
        }
        else
        {
            var (twoPass, fused) = (timed[2], timed[3]);
            Console.WriteLine($"  prepare, augment:  {twoPass}: {twoPass.MedianSeconds / train.MedianSeconds:P1} of a step (two passes: float batch, then its warp)");
            Console.WriteLine($"  fused warp:        {fused}: {fused.MedianSeconds / train.MedianSeconds:P1} of a step (the training input: warped from the bytes into a reused buffer), " +
                              $"the two passes take {twoPass.MedianSeconds / fused.MedianSeconds:F2}x as long");
            inputShare = fused.MedianSeconds / train.MedianSeconds;
        }

        // Decoding runs once per run, in parallel, before the first epoch: its share of the run's epochs.
        var decode = DecodeBatch(size, batchSize, context);
        var decodeShare = decode.MedianSeconds / (train.MedianSeconds * preset.Epochs);
        Console.WriteLine($"  decoding:          {decode}: a batch of {GeneratedWidth}x{GeneratedHeight} JPEGs decoded and resized in parallel, once per run: " +
                          $"{decode.MedianSeconds / train.MedianSeconds:P1} of a step, {decodeShare:P1} over {preset.Epochs} epochs");

        var (batchRate, latency) = Inference(step, size, context);
        Console.WriteLine($"  inference:         {batchRate:F0} img/s in batches of {InferenceBatch}; one image {Timed.Format(latency.MedianSeconds)} " +
                          $"(best {Timed.Format(latency.BestSeconds)})");

        context.Summarise($"{presetName} ({preset.Network} {size}, batch {batchSize}): train {imagesPerSecond:F1} img/s = {share:P0} of the FMA limit ({gflops / context.SgemmGflops:P0} of sgemm); " +
                          $"preparation + augmentation {inputShare:P1} of a step, decoding {decodeShare:P1} of the epochs; inference {batchRate:F0} img/s, {Timed.Format(latency.MedianSeconds)} per single image");
    }

    /// <summary>Random HWC bytes, as ImageCodec.Prepare leaves images: the cost of preparing a batch does not depend on the content.</summary>
    public static PreparedImage[] RandomImages(ImageSize size, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var pixels = new byte[size.Height * size.Width * 3];
            random.NextBytes(pixels);
            return new PreparedImage(size, pixels);
        }).ToArray();
    }

    /// <summary>Parallel decode and resize of a batch of photo-sized JPEGs, as the pipeline does it before training.</summary>
    private static Timed DecodeBatch(ImageSize size, int batchSize, BenchContext context)
    {
        var options = new SyntheticFacesOptions { Count = batchSize, Width = GeneratedWidth, Height = GeneratedHeight, Seed = 2 };
        var encoded = SyntheticFaces.Generate(options).Select(face => ToJpeg(face.Png)).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        return Timing.Measure(
            () => Parallel.For(0, encoded.Length, parallel, i => ImageCodec.Prepare(encoded[i], size, ImageLimits.Default)),
            warmup: 1, context.Runs(6));
    }

    private static byte[] ToJpeg(byte[] png)
    {
        using var image = Image.Load(png);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    private static (double BatchImagesPerSecond, Timed Latency) Inference(TrainingStep step, ImageSize size, BenchContext context)
    {
        var network = step.Model;
        network.eval();
        try
        {
            using var noGrad = no_grad();
            using var batch = rand(InferenceBatch, 3, size.Height, size.Width);
            using var single = rand(1, 3, size.Height, size.Width);
            var heavy = step.MultiplyAccumulates * InferenceBatch > 5e9;
            var batched = Timing.Measure(() => network.forward(batch).Dispose(), warmup: 1, context.Runs(heavy ? 4 : 10));
            var latency = Timing.Measure(() => network.forward(single).Dispose(), warmup: 3, context.Runs(30));
            return (InferenceBatch / batched.MedianSeconds, latency);
        }
        finally
        {
            network.train();
        }
    }
}
