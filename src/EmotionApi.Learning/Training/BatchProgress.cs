namespace EmotionApi.Learning.Training;

/// <summary>
/// A finished training step: epoch and batch count from 1; the batch's mean loss (class-weighted when weighting is
/// on); the images it trained on.
/// </summary>
public sealed record BatchProgress(int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss, int Images = 0);
