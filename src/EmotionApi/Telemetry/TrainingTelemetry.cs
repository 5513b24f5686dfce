using System.Diagnostics;
using System.Diagnostics.Metrics;
using EmotionApi.Learning.Training;

namespace EmotionApi.Telemetry;

/// <summary>
/// What training records: jobs by state and the queue's length (observed when metrics are collected), each epoch's
/// time and images per second, each run's duration by how it ended; and the spans of a run and of its epochs.
/// </summary>
public sealed class TrainingTelemetry
{
    /// <summary>Attribute: a job's state (<c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public const string JobState = "emotionapi.training.job.state";

    /// <summary>Attribute: the preset a job trains with.</summary>
    public const string Preset = "emotionapi.training.preset";

    /// <summary>Attribute: the network a job trains.</summary>
    public const string Network = "emotionapi.training.network";

    /// <summary>Span attribute: the job's id.</summary>
    public const string JobId = "emotionapi.training.job.id";

    private static readonly double[] EpochBuckets = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
    private static readonly double[] JobBuckets = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];
    private static readonly double[] ThroughputBuckets = [10, 25, 50, 100, 200, 300, 400, 600, 800, 1000, 1500, 2000, 4000];

    private readonly Histogram<double> epochDuration;
    private readonly Histogram<double> throughput;
    private readonly Counter<long> images;
    private readonly Histogram<double> jobDuration;

    public TrainingTelemetry(IMeterFactory meters, IEnumerable<ITrainingJobCounts> jobCounts, IEnumerable<ITrainingQueueLength> queueLengths)
    {
        var meter = meters.Create(ServiceDiagnostics.Name, ServiceDiagnostics.Version);
        var counts = jobCounts.ToList();
        var queues = queueLengths.ToList();
        meter.CreateObservableUpDownCounter("emotionapi.training.job.count",
            () => counts.SelectMany(source => source.CountByState())
                .Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>(JobState, pair.Key))),
            "{job}", $"Training jobs by {JobState}, as the shared job records say (every node sees the same figures).");
        meter.CreateObservableUpDownCounter("emotionapi.training.queue.length",
            () => queues.Select(queue => queue.Length()).OfType<long>().Select(length => new Measurement<long>(length)),
            "{job}", "Training executions waiting in the job system's queue for a worker.");
        epochDuration = meter.CreateHistogram("emotionapi.training.epoch.duration", "s",
            "Time of one epoch: training steps and the validation pass.", EpochBuckets);
        throughput = meter.CreateHistogram("emotionapi.training.epoch.throughput", "{image}/s",
            "Training images per second of an epoch's time.", ThroughputBuckets);
        images = meter.CreateCounter<long>("emotionapi.training.images", "{image}", "Images trained on (each epoch counts them again).");
        jobDuration = meter.CreateHistogram("emotionapi.training.job.duration", "s",
            $"Time of one run of a training job, from its start to its end, by the {JobState} it ended in (a resumed job runs again).", JobBuckets);
    }

    /// <summary>
    /// The span of one run of a job: a new trace, linked to the request that queued the job (through
    /// <paramref name="queuedBy"/>, carried in the job's record to whichever node runs it). Null when nobody listens.
    /// </summary>
    public static Activity? StartJob(string jobId, string preset, string network, int run, TraceParent? queuedBy)
    {
        var links = queuedBy is not null && queuedBy.TryGetContext(out var origin) ? [new ActivityLink(origin)] : Array.Empty<ActivityLink>();
        // A run is a trace of its own: it starts long after the request, may resume on another node, and lasts minutes.
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            return ServiceDiagnostics.ActivitySource.StartActivity(
                "training job", ActivityKind.Consumer, parentContext: default,
                tags: [new(JobId, jobId), new(Preset, preset), new(Network, network), new("emotionapi.training.job.run", run)],
                links: links);
        }
        finally
        {
            if (Activity.Current is null) Activity.Current = previous;
        }
    }

    /// <summary>An epoch that ended now: its metrics, and its span (a child of <paramref name="job"/>, back-dated to the epoch's start).</summary>
    public void RecordEpoch(Activity? job, EpochMetrics epoch, int trainingImages, string preset, string network)
    {
        KeyValuePair<string, object?>[] attributes = [new(Preset, preset), new(Network, network)];
        epochDuration.Record(epoch.Seconds, attributes);
        if (epoch.Seconds > 0) throughput.Record(trainingImages / epoch.Seconds, attributes);
        images.Add(trainingImages, attributes);

        if (job is null) return;
        using var span = ServiceDiagnostics.ActivitySource.StartActivity(
            "training epoch", ActivityKind.Internal, job.Context,
            tags:
            [
                new("emotionapi.training.epoch", epoch.Epoch), new("emotionapi.training.epoch.images", trainingImages),
                new("emotionapi.training.epoch.train_loss", epoch.TrainLoss),
                new("emotionapi.training.epoch.validation_loss", epoch.ValidationLoss),
            ],
            startTime: DateTimeOffset.UtcNow - TimeSpan.FromSeconds(epoch.Seconds));
    }

    /// <summary>A run that ended (succeeded, failed, cancelled, or stopped by a shutdown: <paramref name="state"/>).</summary>
    public void RecordJobEnd(Activity? job, string state, string preset, TimeSpan elapsed, Exception? error = null)
    {
        jobDuration.Record(elapsed.TotalSeconds, new(Preset, preset), new(JobState, state));
        if (job is null) return;
        job.SetTag(JobState, state);
        if (error is not null)
        {
            job.SetStatus(ActivityStatusCode.Error, error.Message);
            job.AddException(error);
        }
    }
}
