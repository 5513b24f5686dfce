using EmotionApi.Learning.Training;

namespace EmotionApi.Bench;

/// <summary>Every benchmark by name; a new one is one more line here.</summary>
internal static class Benchmarks
{
    public static IReadOnlyList<Benchmark> All { get; } =
    [
        new("fma-peak", "this CPU's float32 limit, every share's denominator: register-blocked AVX-512 and AVX2 FMA kernels on one thread and on all", true, FmaPeak.Run),
        new("sgemm", "float32 matrix multiply through torch.mm (MKL), 2048 and 4096, as a share of the FMA limit", true, MatrixMultiplyPeak.Run),
        new("train-seed-baseline", "seed-baseline at its preset's size and batch: training, input preparation, augmentation, inference", true,
            context => PresetThroughput.Run(context, TrainingPresets.ArticleBaseline)),
        new("train-compact", "compact-cnn at the compact preset's size and batch (the default preset's before issue 9)", true,
            context => PresetThroughput.Run(context, TrainingPresets.Compact)),
        new("train-tiny", "compact-cnn at the tiny preset's size and batch", true,
            context => PresetThroughput.Run(context, TrainingPresets.Tiny)),
        new("speedups", "training step: NCHW against channels_last, the article's conv1 and conv2 apart against composed; augmentation: grid_sample against the warp", true, SpeedupComparison.Run),
        new("wait-policy", "OpenMP threads spinning (ACTIVE) against sleeping (PASSIVE) while waiting, tiny and default training, in child processes", true,
            WaitPolicyComparison.Run),
        new("threads", "training step and sgemm on one thread against all", true, ThreadScaling.Run),
        new("batch-size", "training throughput against batch size, both networks", true, BatchSizeSweep.Run),
        new("image-size", "compact-cnn training throughput against input side", true, ImageSizeSweep.Run),
        new("sample-png", "the sample faces' PNG level: level 1 against the default level 6, time and size", false, SamplePngEncoding.Run),
        new("hash-distance", "perceptual hash distance of copies against distinct pictures, DCT and difference hash: the audit's near distance", false,
            HashDistanceSweep.Run),
        new("audit-time", "what the dataset audit adds to ingest: hashing 1,630 and 20,000 images and grouping their hashes", false,
            AuditTiming.Run),
        new("serving-inprocess", "a saved model (--model DIR) on an image (--image FILE) in this process: decoding, one image, batches of 32 (bench/serving.sh compares the service with it)", false,
            ServingInProcess.Run),
        new("resnet18", "pretrained ResNet-18 against input side (224 to 96): inference alone and batched, a training step of 16 full against frozen backbone",
            false, ResNet18Speed.Run),
        new("explain-heat", "explanations of models trained at 32, 64 and 96: heat on the mouths against the backgrounds, Grad-CAM and occlusion", false,
            ExplanationHeat.Run),
        new("run-tiny", "a whole tiny-preset run on generated faces: wall time, peak memory, test metrics", false,
            context => FullRun.Run(context, TrainingPresets.Tiny)),
        new("run-default", "a whole default-preset run on generated faces", false,
            context => FullRun.Run(context, TrainingPresets.Default)),
        new("run-compact", "a whole compact-preset run on generated faces (compact-cnn, the default before issue 9)", false,
            context => FullRun.Run(context, TrainingPresets.Compact)),
        new("run-seed-baseline", "the article's whole run: generated faces (1,630 by default) at 400x500, 10 epochs, evaluation; images in memory", false,
            context => FullRun.Run(context, TrainingPresets.ArticleBaseline)),
        new("run-seed-baseline-streamed", "the same run streaming its images from a prepared-image cache file, as jobs do, then a second run reusing the file", false,
            context => FullRun.Run(context, TrainingPresets.ArticleBaseline, streamed: true)),
        new("streaming", "seed-baseline epochs on images in memory against the same images streamed from a cache file (and evicted from the page cache), round-robin", false,
            context => StreamingThroughput.Run(context, TrainingPresets.ArticleBaseline)),
        new("quality", "model quality on styled faces: every preset, 3 seeds, AUC and accuracy on styles never seen in training (docs/model-quality.md)", false,
            QualityBenchmark.Run),
        new("preset-time", "a whole run's time for 300 and 1,630 images, from its steps and inference timed in one process, scaled to a quiet machine", false,
            RunTimeEstimate.Run),
        new("quality-run", "one run of the quality benchmark (it starts these itself, one process per run)", false, QualityRun.Run),
    ];

    /// <summary>The named benchmarks in the order given, or the standard set.</summary>
    public static IReadOnlyList<Benchmark> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return All.Where(b => b.Standard).ToList();
        return names.Select(name => All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))
                                    ?? throw new ArgumentException($"Unknown benchmark '{name}'. Benchmarks: {string.Join(", ", All.Select(b => b.Name))}."))
            .ToList();
    }
}
