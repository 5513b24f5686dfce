using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>The training objective: binary cross-entropy on logits, per-sample weights (class weighting) and label smoothing.</summary>
internal static class TrainingLoss
{
    /// <param name="smoothing">Targets move this far towards 0.5: t (1 - s) + s / 2.</param>
    public static Tensor Compute(Tensor logits, Tensor targets, Tensor? weights, double smoothing)
    {
        var smoothed = smoothing > 0 ? targets.mul(1 - smoothing).add_(smoothing / 2) : targets;
        return nn.functional.binary_cross_entropy_with_logits(logits, smoothed, weights);
    }
}
