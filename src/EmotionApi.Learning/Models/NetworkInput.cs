using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Models;

/// <summary>
/// Turns a batch of prepared images' bytes into a network's input: float [N, 3, H, W] scaled by 1/255, Keras'
/// rescale, converted by torch from the batch's native uint8 buffer: no per-pixel managed loop. The result keeps the
/// bytes' NHWC order in memory (PyTorch's channels_last: NCHW shape, NHWC strides), the layout the networks run their
/// oneDNN convolutions in, so no reordering copy is made here or there. Training and prediction both go through it,
/// so a model sees its inputs the same way in both.
/// </summary>
internal static class NetworkInput
{
    internal const float Rescale = 1f / 255f;

    /// <summary>Float [count, 3, H, W] (channels_last strides) in [0, 1] of <paramref name="pixels"/>' images, registered in the caller's dispose scope.</summary>
    public static Tensor Batch(BatchPixels pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        using var rows = pixels.Rows();
        using var scaled = rows.to_type(ScalarType.Float32).mul_(Rescale);
        return scaled.permute(0, 3, 1, 2);
    }
}
