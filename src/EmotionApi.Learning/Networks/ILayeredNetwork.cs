using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// A network whose inference is its layers applied one after the other (dropout left out, the last one giving logits
/// [N, 1]): what the ONNX export writes layer by layer and Grad-CAM splits at its last convolution. Its forward pass may
/// compute the same function faster (channels_last, fused layers); a test holds the two equal.
/// </summary>
internal interface ILayeredNetwork
{
    IReadOnlyList<nn.Module> InferenceLayers { get; }
}
