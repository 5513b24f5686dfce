using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Models;

/// <summary>Forward passes without gradients, batch by batch, each batch in its own dispose scope.</summary>
internal static class NetworkInference
{
    /// <summary>
    /// Logits of <paramref name="images"/> in order. The caller puts the network in eval mode; no_grad is set
    /// here because it is per thread. With <paramref name="mirrorAveraged"/> each logit is the mean of the image's and
    /// its mirror image's (flip test-time augmentation).
    /// </summary>
    public static float[] Logits(
        nn.Module<Tensor, Tensor> network,
        IReadOnlyList<PreparedImage> images,
        int batchSize,
        CancellationToken cancellationToken = default,
        bool mirrorAveraged = false)
    {
        var logits = new float[images.Count];
        if (images.Count == 0) return logits;
        using var input = new NetworkInput(images[0].Size, Math.Min(batchSize, images.Count));
        using var noGrad = torch.no_grad();
        var indices = new int[input.Capacity];
        for (var start = 0; start < images.Count; start += input.Capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(input.Capacity, images.Count - start);
            for (var i = 0; i < count; i++) indices[i] = start + i;
            using var scope = torch.NewDisposeScope();
            Forward(network, input.Batch(images, indices.AsSpan(0, count)), mirrorAveraged).data<float>().CopyTo(logits, start);
        }
        return logits;
    }

    /// <summary>One logit per image of <paramref name="batch"/> [N, ...] (the mean over the batch and its mirror image when asked), [N].</summary>
    public static Tensor Forward(nn.Module<Tensor, Tensor> network, Tensor batch, bool mirrorAveraged)
    {
        var output = network.forward(batch).reshape(-1);
        if (output.shape[0] != batch.shape[0])
            throw new InvalidOperationException($"The network gave {output.shape[0]} outputs for {batch.shape[0]} images; it must give one logit per image.");
        if (!mirrorAveraged) return output;
        // The last axis is the width: each image mirrored left to right.
        return output.add(network.forward(batch.flip(-1)).reshape(-1)).div_(2);
    }

    public static float Sigmoid(float logit) => (float)(1.0 / (1.0 + Math.Exp(-logit)));
}
