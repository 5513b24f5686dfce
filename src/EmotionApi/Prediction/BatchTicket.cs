using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;

namespace EmotionApi.Prediction;

/// <summary>
/// A request announced to the <see cref="PredictionBatcher"/> while it prepares its images: submit them once with
/// <see cref="PredictAsync"/>, or dispose the ticket to withdraw (a request that fails before it has images).
/// </summary>
public sealed class BatchTicket : IDisposable
{
    private readonly PredictionBatcher batcher;
    private readonly TrainedModel model;
    private int used;

    internal BatchTicket(PredictionBatcher batcher, TrainedModel model)
    {
        this.batcher = batcher;
        this.model = model;
    }

    /// <summary>
    /// Probability of Positive for each image (prepared at the model's input size), in order, computed in forward
    /// passes shared with concurrent requests.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first: the images still queued never run.</exception>
    /// <exception cref="InvalidOperationException">The ticket was used already.</exception>
    public Task<float[]> PredictAsync(IReadOnlyList<PreparedImage> images, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref used, 1) != 0) throw new InvalidOperationException("A batch ticket submits once.");
        return batcher.SubmitAsync(model, images, cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref used, 1) == 0) batcher.Withdraw(model);
    }
}
