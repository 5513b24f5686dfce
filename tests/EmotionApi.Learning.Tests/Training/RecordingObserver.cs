using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

/// <summary>Records what a run reports; optional hooks act on a batch or an epoch (for example cancel).</summary>
public sealed class RecordingObserver : ITrainingObserver
{
    public List<string> Stages { get; } = [];
    public List<BatchProgress> Batches { get; } = [];
    public List<EpochMetrics> Epochs { get; } = [];
    public Action<BatchProgress>? AfterBatch { get; init; }
    public Action<EpochMetrics>? AfterEpoch { get; init; }

    public void OnStage(string stage) => Stages.Add(stage);

    public void OnBatch(BatchProgress progress)
    {
        Batches.Add(progress);
        AfterBatch?.Invoke(progress);
    }

    public void OnEpoch(EpochMetrics metrics)
    {
        Epochs.Add(metrics);
        AfterEpoch?.Invoke(metrics);
    }
}
