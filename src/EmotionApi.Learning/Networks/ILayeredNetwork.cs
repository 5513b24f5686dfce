using EmotionApi.Learning.Images;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// A network whose inference is its input normalisation (if any) and then its layers applied one after the other (dropout
/// left out, the last one giving logits [N, 1]): what the ONNX export writes layer by layer and Grad-CAM splits at its
/// last convolution. Its forward pass may compute the same function faster (channels_last, fused layers); a test holds
/// the two equal.
/// </summary>
internal interface ILayeredNetwork
{
    IReadOnlyList<nn.Module> InferenceLayers { get; }

    /// <summary>
    /// What the network does to images in [0, 1] of <paramref name="size"/> before its first layer, x * Scale - Offset
    /// (Offset [1, 3, H, W], the caller disposes it); null when it takes them as they are.
    /// </summary>
    (float Scale, Tensor Offset)? InputNormalisation(ImageSize size) => null;
}
