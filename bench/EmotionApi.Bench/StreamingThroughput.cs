using System.Runtime.InteropServices;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>
/// Training epochs of a preset's network on the same images held in memory and streamed from a prepared-image cache
/// file, timed round-robin in one process: what streaming costs the training loop. A third variant evicts the file from
/// the page cache before each epoch (posix_fadvise, this file only), so every image comes from the disk.
/// </summary>
internal static class StreamingThroughput
{
    private const int DefaultImageCount = 320;
    private const int GeneratedWidth = 640;
    private const int GeneratedHeight = 480;

    public static void Run(BenchContext context, string presetName)
    {
        var settings = TrainingPresets.Get(presetName);
        var size = new ImageSize(settings.ImageHeight, settings.ImageWidth);
        var count = context.Options.Images ?? DefaultImageCount;
        var folder = Directory.CreateTempSubdirectory("emotionapi-bench-streaming-").FullName;
        try
        {
            var images = GeneratedFaceFiles.Write(folder, new SyntheticFacesOptions { Count = count, Width = GeneratedWidth, Height = GeneratedHeight, Seed = 1 });
            var labels = images.Select(image => (int)image.Label).ToArray();
            using var file = new PreparedImageCache(Path.Combine(folder, "prepared")).Open(images, size, ImageLimits.Default);
            var inMemory = new PreparedImage[images.Count];
            var bytes = new byte[size.Height * size.Width * 3];
            for (var i = 0; i < images.Count; i++)
            {
                file.Read(i, bytes);
                inMemory[i] = new PreparedImage(size, bytes.ToArray());
            }

            torch.manual_seed(1);
            using var network = NetworkCatalog.Create(settings.Network, size);
            using var optimizer = optim.Adam(network.parameters(), settings.LearningRate);
            var observer = new QuietObserver();
            using var memoryReader = new BatchReader(size, settings.BatchSize, readAhead: 2);
            using var fileReader = new BatchReader(size, settings.BatchSize, readAhead: 2);
            using var memoryInputs = new ImageInputs(new PreparedImageList(size, inMemory), memoryReader, settings.Augmentation, mirrorAveraged: false);
            using var fileInputs = new ImageInputs(file, fileReader, settings.Augmentation, mirrorAveraged: false);
            var memoryEpoch = new TrainingEpoch(settings, new LabeledInputs(memoryInputs, labels), observer);
            var fileEpoch = new TrainingEpoch(settings, new LabeledInputs(fileInputs, labels), observer);
            var evictions = 0;
            var timed = Timing.Compare(
            [
                () => memoryEpoch.Run(network, optimizer, 1, afterStep: null, CancellationToken.None),
                () => fileEpoch.Run(network, optimizer, 1, afterStep: null, CancellationToken.None),
                () =>
                {
                    if (Evict(file.Path)) evictions++;
                    fileEpoch.Run(network, optimizer, 1, afterStep: null, CancellationToken.None);
                },
            ], warmup: 1, context.Runs(12));
            var (memory, cached, cold) = (timed[0], timed[1], timed[2]);
            var fileMegabytes = new FileInfo(file.Path).Length / (1024.0 * 1024);
            Console.WriteLine($"  {settings.Network} at {size}, batch {settings.BatchSize}, epochs of {count} images ({fileMegabytes:F0} MB prepared), the preset's augmentation:");
            Console.WriteLine($"  in memory:                  {memory}: {count / memory.MedianSeconds:F1} img/s");
            Console.WriteLine($"  streamed, file in the page cache: {cached}: {count / cached.MedianSeconds:F1} img/s, " +
                              $"{cached.MedianSeconds / memory.MedianSeconds:P1} of the in-memory time (best against best {cached.BestSeconds / memory.BestSeconds:P1})");
            Console.WriteLine($"  streamed, file evicted first{(evictions == 0 ? " (eviction unavailable: page cache)" : "")}: {cold}: {count / cold.MedianSeconds:F1} img/s, " +
                              $"{cold.MedianSeconds / memory.MedianSeconds:P1} of the in-memory time");
            context.Summarise($"streaming {presetName} ({settings.Network} {size}, {count} images): in memory {count / memory.MedianSeconds:F1} img/s; " +
                              $"streamed {count / cached.MedianSeconds:F1} img/s ({memory.MedianSeconds / cached.MedianSeconds:P1} of the in-memory throughput), " +
                              $"from the disk {count / cold.MedianSeconds:F1} img/s ({memory.MedianSeconds / cold.MedianSeconds:P1})");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Drops the file's pages from the page cache (Linux); false where that is not possible.</summary>
    private static bool Evict(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        using var handle = File.OpenHandle(path);
        const int DontNeed = 4; // POSIX_FADV_DONTNEED
        return PosixFadvise((int)handle.DangerousGetHandle(), 0, 0, DontNeed) == 0;
    }

    [DllImport("libc", EntryPoint = "posix_fadvise", SetLastError = false)]
    private static extern int PosixFadvise(int fd, long offset, long length, int advice);

    private sealed class QuietObserver : ITrainingObserver;
}
