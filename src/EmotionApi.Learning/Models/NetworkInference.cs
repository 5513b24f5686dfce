using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Models;

/// <summary>Forward passes without gradients, batch by batch, each batch in its own dispose scope.</summary>
internal static class NetworkInference
{
    /// <summary>
    /// Logits of <paramref name="images"/> in order, in batches of up to <paramref name="batchSize"/> read on this
    /// thread (a prediction's few images). The caller puts the network in eval mode. With <paramref name="mirrorAveraged"/>
    /// each logit is the mean of the image's and its mirror image's (flip test-time augmentation).
    /// </summary>
    public static float[] Logits(
        nn.Module<Tensor, Tensor> network,
        IPreparedImageSource images,
        int batchSize,
        CancellationToken cancellationToken = default,
        bool mirrorAveraged = false)
    {
        if (images.Count == 0) return [];
        using var reader = new BatchReader(images.Size, Math.Min(batchSize, images.Count), readAhead: 0);
        return Logits(network, images, reader, cancellationToken, mirrorAveraged);
    }

    /// <summary>
    /// Logits of <paramref name="images"/> in order, read by <paramref name="reader"/> (the training run's, whose
    /// background thread reads ahead), mirror-averaged when asked. No_grad is set here because it is per thread.
    /// </summary>
    public static float[] Logits(
        nn.Module<Tensor, Tensor> network,
        IPreparedImageSource images,
        BatchReader reader,
        CancellationToken cancellationToken = default,
        bool mirrorAveraged = false)
    {
        var logits = new float[images.Count];
        if (images.Count == 0) return logits;
        using var noGrad = torch.no_grad();
        var start = 0;
        foreach (var pixels in reader.Read(images, Enumerable.Range(0, images.Count).ToArray(), cancellationToken))
        {
            using var scope = torch.NewDisposeScope();
            Forward(network, NetworkInput.Batch(pixels), mirrorAveraged).data<float>().CopyTo(logits, start);
            start += pixels.Count;
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
