using System.Diagnostics;
using EmotionApi.Learning.Training;
using EmotionApi.Telemetry;

namespace EmotionApi.Training;

/// <summary>
/// Records each epoch this run trains (its time, images per second and span under the run's span), and passes
/// everything on. Epochs a resumed run replays from its checkpoint were recorded by the run that trained them: an
/// epoch reported before any of its batches is such a replay and is not recorded again.
/// </summary>
internal sealed class EpochTelemetryObserver(
    ITrainingObserver inner, TrainingTelemetry telemetry, Activity? run, TrainingSettings settings) : ITrainingObserver
{
    private int epochOfImages;
    private int images;

    public void OnStage(string stage) => inner.OnStage(stage);

    public void OnBatch(BatchProgress progress)
    {
        if (progress.Epoch != epochOfImages)
        {
            epochOfImages = progress.Epoch;
            images = 0;
        }
        images += progress.Images;
        inner.OnBatch(progress);
    }

    public void OnEpoch(EpochMetrics metrics)
    {
        if (metrics.Epoch == epochOfImages && images > 0)
            telemetry.RecordEpoch(run, metrics, images, settings.Preset, settings.Network);
        inner.OnEpoch(metrics);
    }
}
