using System.Text.Json.Serialization;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;
using EmotionApi.Telemetry;

namespace EmotionApi.Training;

/// <summary>
/// The service's durable record of one job, <c>jobs/{id}/job.json</c>, and the one place that decides what may follow
/// what in its life. It, not the job system, is the source of truth: the job system only carries the id to a worker.
/// Every change is a method below; a change the job's state does not allow throws <see cref="InvalidOperationException"/>.
/// <code>
/// Queue ─> queued ──Start──> running ──Succeed──> succeeded
///            │  ^               │ │
///            │  └───Requeue─────┘ ├──Fail────> failed        (also from queued: it could not be queued)
///            │    (a stop)        └──Cancel──> cancelled     (also from queued: before it started)
///            └─RequestCancellation: queued → cancelled at once; running → still running, cancelling
/// </code>
/// </summary>
public sealed record TrainingJob
{
    private static readonly Dictionary<TrainingJobState, TrainingJobState[]> Allowed = new()
    {
        [TrainingJobState.Queued] = [TrainingJobState.Queued, TrainingJobState.Running, TrainingJobState.Failed, TrainingJobState.Cancelled],
        // Running again: a worker took over the job of an execution that died.
        [TrainingJobState.Running] =
        [
            TrainingJobState.Running, TrainingJobState.Queued, TrainingJobState.Succeeded, TrainingJobState.Failed, TrainingJobState.Cancelled,
        ],
        [TrainingJobState.Succeeded] = [],
        [TrainingJobState.Failed] = [],
        [TrainingJobState.Cancelled] = [],
    };

    [JsonConstructor]
    private TrainingJob()
    {
    }

    [JsonInclude] public string Id { get; private init; } = "";
    [JsonInclude] public string DatasetId { get; private init; } = "";
    [JsonInclude] public TrainingJobState State { get; private init; }
    /// <summary>What the job is doing or why it stopped, in a few words (<see cref="TrainingJobStages"/>).</summary>
    [JsonInclude] public string Stage { get; private init; } = TrainingJobStages.Queued;
    /// <summary>The full effective settings: the preset with the request's overrides applied.</summary>
    [JsonInclude] public TrainingSettings Settings { get; private init; } = null!;
    [JsonInclude] public TrainingJobProgress? Progress { get; private init; }
    /// <summary>Finished epochs so far (the whole history once succeeded).</summary>
    [JsonInclude] public IReadOnlyList<EpochMetrics> History { get; private init; } = [];
    [JsonInclude] public int? BestEpoch { get; private init; }
    /// <summary>The test-set evaluation, ROC curve included; present once succeeded.</summary>
    [JsonInclude] public EvaluationReport? Evaluation { get; private init; }
    [JsonInclude] public double? TrainingSeconds { get; private init; }
    [JsonInclude] public string? Error { get; private init; }
    [JsonInclude] public string? ModelId { get; private init; }
    /// <summary>The job system's id of the execution that carries this job (changes when the job is queued again).</summary>
    [JsonInclude, JsonPropertyName("hangfireJobId")] public string? ExecutionId { get; private init; }
    /// <summary>Executions started: more than 1 when the job was resumed after a restart.</summary>
    [JsonInclude] public int Runs { get; private init; }
    [JsonInclude] public bool CancelRequested { get; private init; }
    /// <summary>The trace context of the request that queued the job: every run's span links to it, on whichever node it runs.</summary>
    [JsonInclude, JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TraceParent? QueuedBy { get; private init; }
    [JsonInclude] public DateTimeOffset CreatedAt { get; private init; }
    /// <summary>
    /// The name of the API key that queued the job (never the key); null when it was queued without one (an open
    /// service) or by a version before keys. Left out of job.json when null, as earlier versions wrote it.
    /// </summary>
    [JsonInclude, JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CreatedBy { get; private init; }
    [JsonInclude] public DateTimeOffset? StartedAt { get; private init; }
    [JsonInclude] public DateTimeOffset? FinishedAt { get; private init; }

    [JsonIgnore]
    public bool IsFinished => State is TrainingJobState.Succeeded or TrainingJobState.Failed or TrainingJobState.Cancelled;

    [JsonIgnore]
    public EpochMetrics? LatestEpoch => History.Count == 0 ? null : History[^1];

    /// <summary>
    /// A new job, queued by the API key named <paramref name="createdBy"/> (null: without a key), by the request whose
    /// trace context is <paramref name="queuedBy"/> (when it was traced).
    /// </summary>
    public static TrainingJob Queue(
        string id, string datasetId, TrainingSettings settings, DateTimeOffset now, string? createdBy = null, TraceParent? queuedBy = null) => new()
    {
        Id = id, DatasetId = datasetId, Settings = settings, State = TrainingJobState.Queued, Stage = TrainingJobStages.Queued, CreatedAt = now,
        CreatedBy = createdBy, QueuedBy = queuedBy,
    };

    /// <summary>
    /// Handed to the job system as <paramref name="executionId"/>. The worker may have started it already, so only a
    /// job still queued takes <paramref name="stage"/>; no state changes.
    /// </summary>
    public TrainingJob Dispatched(string executionId, string stage) =>
        this with { ExecutionId = executionId, Stage = State == TrainingJobState.Queued ? stage : Stage };

    /// <summary>An execution starts (the first, or one that resumes from the checkpoint): running.</summary>
    public TrainingJob Start(DateTimeOffset now) => MoveTo(TrainingJobState.Running) with
    {
        Stage = TrainingJobStages.Starting, StartedAt = now, Runs = Runs + 1, Error = null,
    };

    /// <summary>Queued again after a stop (a shutdown, a restart) with why; the next execution resumes from the checkpoint.</summary>
    public TrainingJob Requeue(string stage) => MoveTo(TrainingJobState.Queued) with { Stage = stage };

    /// <summary>A user asks to cancel: a queued job is cancelled at once; a running one is marked and stops at its next batch.</summary>
    public TrainingJob RequestCancellation(DateTimeOffset now) => State switch
    {
        TrainingJobState.Queued => Cancel(now),
        TrainingJobState.Running => this with { CancelRequested = true, Stage = TrainingJobStages.Cancelling },
        _ => throw Refused(TrainingJobState.Cancelled),
    };

    /// <summary>Cancelled: by a user's request, whether it had started or not.</summary>
    public TrainingJob Cancel(DateTimeOffset now) => MoveTo(TrainingJobState.Cancelled) with
    {
        Stage = State == TrainingJobState.Queued ? TrainingJobStages.CancelledBeforeStart : TrainingJobStages.Cancelled,
        CancelRequested = true, FinishedAt = now, Progress = WithoutEstimate(Progress),
    };

    /// <summary>Failed, with why: <paramref name="error"/> is shown to users.</summary>
    public TrainingJob Fail(string error, DateTimeOffset now) => MoveTo(TrainingJobState.Failed) with
    {
        Stage = TrainingJobStages.Failed, Error = error, FinishedAt = now, Progress = WithoutEstimate(Progress),
    };

    /// <summary>Succeeded: the run's results and the model it registered.</summary>
    public TrainingJob Succeed(TrainingOutcome outcome, string modelId, DateTimeOffset now) => MoveTo(TrainingJobState.Succeeded) with
    {
        Stage = TrainingJobStages.Succeeded,
        History = outcome.History,
        BestEpoch = outcome.BestEpoch,
        Evaluation = outcome.Test,
        TrainingSeconds = outcome.Seconds,
        ModelId = modelId,
        Progress = Progress is { } progress ? progress with { Percent = 100, EstimatedSecondsLeft = 0 } : null,
        FinishedAt = now,
    };

    /// <summary>A running job's stage changes (the pipeline's stages, saving the model...).</summary>
    public TrainingJob AtStage(string stage) => Running("change its stage") with { Stage = stage };

    /// <summary>A running job's latest batch progress.</summary>
    public TrainingJob WithProgress(TrainingJobProgress progress) => Running("record progress") with { Progress = progress };

    /// <summary>
    /// A running job finished an epoch. A resumed run reports its epochs again from the checkpoint on: an epoch
    /// replaces any later ones.
    /// </summary>
    public TrainingJob WithEpoch(EpochMetrics metrics, TrainingJobProgress? progress) => Running("record an epoch") with
    {
        History = History.Where(epoch => epoch.Epoch < metrics.Epoch).Append(metrics).ToList(),
        Progress = progress ?? Progress,
    };

    /// <summary>Whether the state machine lets this job go to <paramref name="next"/>.</summary>
    public bool CanMoveTo(TrainingJobState next) => Allowed[State].Contains(next);

    private TrainingJob MoveTo(TrainingJobState next) => CanMoveTo(next) ? this with { State = next } : throw Refused(next);

    private TrainingJob Running(string what) => State == TrainingJobState.Running
        ? this
        : throw new InvalidOperationException($"Training job '{Id}' is {Describe(State)}: only a running job can {what}.");

    private InvalidOperationException Refused(TrainingJobState next) =>
        new($"Training job '{Id}' is {Describe(State)}: it cannot become {Describe(next)}.");

    private static string Describe(TrainingJobState state) => state.ToString().ToLowerInvariant();

    private static TrainingJobProgress? WithoutEstimate(TrainingJobProgress? progress) =>
        progress is null ? null : progress with { EstimatedSecondsLeft = null };
}
