using EmotionApi.Learning.Training;

namespace EmotionApi.Training;

/// <summary>
/// Notices that a run resumed from a checkpoint: the pipeline then replays the finished epochs to its observer
/// before the first batch (or before evaluating, when training had already ended). Passes everything on.
/// </summary>
internal sealed class ResumeDetector(ITrainingObserver inner, Action<int> resumedAfterEpoch) : ITrainingObserver
{
    private int replayedEpochs;
    private bool decided;

    public void OnStage(string stage)
    {
        if (stage == TrainingPipeline.EvaluatingStage) Decide();
        inner.OnStage(stage);
    }

    public void OnBatch(BatchProgress progress)
    {
        Decide();
        inner.OnBatch(progress);
    }

    public void OnEpoch(EpochMetrics metrics)
    {
        if (!decided) replayedEpochs = metrics.Epoch;
        inner.OnEpoch(metrics);
    }

    private void Decide()
    {
        if (decided) return;
        decided = true;
        if (replayedEpochs > 0) resumedAfterEpoch(replayedEpochs);
    }
}
