using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// A pretrained network in two parts: a backbone that starts from pretrained weights and a head trained from scratch.
/// Fine-tuning warms the head up with the backbone frozen, then trains both, the backbone at a lower rate.
/// </summary>
internal interface IFineTunable
{
    nn.Module<Tensor, Tensor> Backbone { get; }

    nn.Module<Tensor, Tensor> Head { get; }

    /// <summary>True runs the backbone without gradients (the caller puts it in eval mode): only the head learns.</summary>
    bool BackboneFrozen { get; set; }
}
