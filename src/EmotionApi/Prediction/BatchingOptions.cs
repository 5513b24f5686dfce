using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Prediction;

/// <summary>Configuration section "Prediction:Batching": how concurrent predictions share forward passes.</summary>
public sealed class BatchingOptions
{
    public const string Section = "Prediction:Batching";

    /// <summary>
    /// Most images in one forward pass; 1 turns batching off (each request's images still go together up to it).
    /// 16, not 32: a pass of 32 images was never cheaper per image than one of 16, and dearer whenever other work
    /// shared the cores (docs/performance.md, Serving).
    /// </summary>
    [Range(1, 1024)]
    public int MaxBatchImages { get; set; } = 16;

    /// <summary>
    /// Longest a request waits for others to fill its batch, counted from its submission. The wait only happens
    /// while other requests for the same model are still decoding their images: a lone request never waits.
    /// </summary>
    [Range(0, 1000)]
    public double MaxWaitMilliseconds { get; set; } = 2;

    /// <summary>torch's intra-op threads for the forward passes of predictions; unset: torch's process-wide count.</summary>
    [Range(1, 1024)]
    public int? Threads { get; set; }

    public TimeSpan MaxWait => TimeSpan.FromMilliseconds(MaxWaitMilliseconds);
}
