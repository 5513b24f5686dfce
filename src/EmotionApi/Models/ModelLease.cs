using EmotionApi.Learning.Models;

namespace EmotionApi.Models;

/// <summary>A loaded model held for the length of a prediction.</summary>
public sealed class ModelLease : IDisposable
{
    private ModelCache.Entry? entry;

    internal ModelLease(TrainedModel model, ModelCache.Entry entry)
    {
        Model = model;
        this.entry = entry;
    }

    public TrainedModel Model { get; }

    public void Dispose() => Interlocked.Exchange(ref entry, null)?.Release();
}
