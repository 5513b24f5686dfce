using System.Runtime.ExceptionServices;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Training;

/// <summary>Decodes and resizes a run's images on every core, handing each to a sink with its perceptual hash as it is ready.</summary>
internal static class ImagePreparation
{
    /// <summary>
    /// Prepares every image of <paramref name="images"/> at <paramref name="size"/> and calls <paramref name="sink"/> with
    /// its index and its perceptual hash (the one it came with, else computed from the same bytes; on the preparing
    /// thread). Datasets are validated at upload: a file that fails now (deleted, corrupted on disk) fails the run with a
    /// <see cref="TrainingDataException"/> naming it; the sink's own failures (a full disk) pass through as they are.
    /// </summary>
    public static void PrepareEach(
        IReadOnlyList<DatasetImage> images, ImageSize size, ImageLimits limits, Action<int, PreparedImage, ulong> sink,
        CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, images.Count, options, i =>
            {
                PreparedImage prepared;
                ulong hash;
                try
                {
                    var encoded = File.ReadAllBytes(images[i].FilePath);
                    prepared = ImageCodec.Prepare(encoded, size, limits);
                    hash = images[i].Hash ?? PerceptualHash.Compute(encoded, limits);
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    throw new TrainingDataException(
                        $"Image '{images[i].Id}' cannot be prepared for training: {Reason(e)}", e);
                }
                sink(i, prepared, hash);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // The image that failed first, not a wrapper of all the workers' failures.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>
    /// Why an image failed, for a job's error, which API clients read: file exceptions' own messages carry the server's
    /// paths, so they are said in words instead.
    /// </summary>
    internal static string Reason(Exception failure) => failure switch
    {
        FileNotFoundException or DirectoryNotFoundException => "the file is missing.",
        IOException or UnauthorizedAccessException => "the file cannot be read.",
        _ => failure.Message,
    };
}
