using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// PyTorch's channels_last memory format, which TorchSharp 0.107 does not expose: the same NCHW shape
/// with NHWC strides. oneDNN convolutions, batch norm and max pooling run on it without reordering
/// every activation to and from their blocked layout, which speeds up training severalfold
/// (docs/performance.md). Converting the input is enough: every layer keeps the
/// format of its input, and parameters stay plain contiguous tensors, so save/load and optimisers
/// see nothing unusual (TorchSharp refuses to save non-contiguous parameters).
/// </summary>
public static class ChannelsLast
{
    /// <summary>
    /// A view of <paramref name="batch"/> [N, C, H, W] whose memory is laid out N, H, W, C. Same shape and
    /// values; copies only when the batch is not already in that layout. The caller disposes the result.
    /// </summary>
    public static Tensor Of(Tensor batch)
    {
        if (batch.dim() != 4) throw new ArgumentException($"Expected a batch [N, C, H, W], got [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var nhwc = batch.permute(0, 2, 3, 1);
        using var packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }

    /// <summary>True when <paramref name="batch"/> [N, C, H, W] is stored N, H, W, C (channels_last).</summary>
    public static bool Is(Tensor batch)
    {
        if (batch.dim() != 4) return false;
        using var nhwc = batch.permute(0, 2, 3, 1);
        return nhwc.is_contiguous();
    }
}
