using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EmotionApi.Telemetry;

/// <summary>
/// What /api/predict records: requests and images with their outcome, each request's time in the service, and
/// the batches its images shared (size, forward-pass time, the wait before one).
/// </summary>
public sealed class PredictionTelemetry
{
    /// <summary>Attribute: <c>classified</c> or <c>rejected</c> (an image that could not be used).</summary>
    public const string ImageOutcome = "emotionapi.prediction.image.outcome";

    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1, 2, 5];
    private static readonly int[] ImageBuckets = [1, 2, 4, 8, 16, 24, 32, 48, 64, 128];

    private readonly Counter<long> requests;
    private readonly Counter<long> images;
    private readonly Histogram<double> duration;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> batchDuration;
    private readonly Histogram<double> queueDuration;

    public PredictionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(ServiceDiagnostics.Name, ServiceDiagnostics.Version);
        requests = meter.CreateCounter<long>("emotionapi.prediction.requests", "{request}",
            "Prediction requests handled; error.type names why one got no results.");
        images = meter.CreateCounter<long>("emotionapi.prediction.images", "{image}",
            $"Images received for prediction, by {ImageOutcome}.");
        duration = meter.CreateHistogram("emotionapi.prediction.duration", "s",
            "Time from a request's images read to its results: decoding, waiting for a batch, the forward pass.", SecondsBuckets);
        batchSize = meter.CreateHistogram("emotionapi.prediction.batch.size", "{image}",
            "Images in one forward pass (the dynamic batch: images of concurrent requests for one model).", ImageBuckets);
        batchDuration = meter.CreateHistogram("emotionapi.prediction.batch.duration", "s",
            "Time of one forward pass of a batch.", SecondsBuckets);
        queueDuration = meter.CreateHistogram("emotionapi.prediction.queue.duration", "s",
            "Time a request's images waited from their submission to the start of the forward pass that took the first of them.", SecondsBuckets);
    }

    /// <summary>A request answered with results (some images may have failed alone).</summary>
    public void RecordAnswered(int classified, int rejected, TimeSpan elapsed)
    {
        requests.Add(1);
        RecordImages(classified, rejected);
        duration.Record(elapsed.TotalSeconds);
    }

    /// <summary>A request that got no results: <paramref name="errorType"/> says why (low cardinality: an exception's kind).</summary>
    public void RecordRefused(string errorType, int rejected, TimeSpan elapsed)
    {
        requests.Add(1, new KeyValuePair<string, object?>("error.type", errorType));
        RecordImages(0, rejected);
        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("error.type", errorType));
    }

    /// <summary>One forward pass of <paramref name="size"/> images.</summary>
    public void RecordBatch(int size, TimeSpan elapsed)
    {
        batchSize.Record(size);
        batchDuration.Record(elapsed.TotalSeconds);
    }

    /// <summary>A request's wait for its first forward pass.</summary>
    public void RecordQueued(TimeSpan waited) => queueDuration.Record(waited.TotalSeconds);

    /// <summary>
    /// A span for one forward pass, linked to the spans of the requests whose images it carries (a batch serves many
    /// traces, so it belongs to none of them); null when nobody listens.
    /// </summary>
    public static Activity? StartBatch(int size, IEnumerable<ActivityContext> requests) =>
        ServiceDiagnostics.ActivitySource.StartActivity(
            "prediction batch", ActivityKind.Internal, parentContext: default,
            tags: [new("emotionapi.prediction.batch.size", size)],
            links: requests.Where(context => context != default).Select(context => new ActivityLink(context)));

    private void RecordImages(int classified, int rejected)
    {
        if (classified > 0) images.Add(classified, new KeyValuePair<string, object?>(ImageOutcome, "classified"));
        if (rejected > 0) images.Add(rejected, new KeyValuePair<string, object?>(ImageOutcome, "rejected"));
    }
}
