using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Models;

/// <summary>Forward passes without gradients, batch by batch, each batch in its own dispose scope.</summary>
internal static class NetworkInference
{
    /// <summary>
    /// Logits of <paramref name="images"/> in order, in batches of up to <paramref name="batchSize"/> read on this
    /// thread (a prediction's few images). The caller puts the network in eval mode.
    /// </summary>
    public static float[] Logits(
        nn.Module<Tensor, Tensor> network,
        IPreparedImageSource images,
        int batchSize,
        CancellationToken cancellationToken = default)
    {
        if (images.Count == 0) return [];
        using var reader = new BatchReader(images.Size, Math.Min(batchSize, images.Count), readAhead: 0);
        return Logits(network, images, reader, cancellationToken);
    }

    /// <summary>
    /// Logits of <paramref name="images"/> in order, read by <paramref name="reader"/> (the training run's, whose
    /// background thread reads ahead). No_grad is set here because it is per thread.
    /// </summary>
    public static float[] Logits(
        nn.Module<Tensor, Tensor> network,
        IPreparedImageSource images,
        BatchReader reader,
        CancellationToken cancellationToken = default)
    {
        var logits = new float[images.Count];
        if (images.Count == 0) return logits;
        using var noGrad = torch.no_grad();
        var start = 0;
        foreach (var pixels in reader.Read(images, Enumerable.Range(0, images.Count).ToArray(), cancellationToken))
        {
            using var scope = torch.NewDisposeScope();
            var output = network.forward(NetworkInput.Batch(pixels)).reshape(-1);
            if (output.shape[0] != pixels.Count)
                throw new InvalidOperationException($"The network gave {output.shape[0]} outputs for {pixels.Count} images; it must give one logit per image.");
            output.data<float>().CopyTo(logits, start);
            start += pixels.Count;
        }
        return logits;
    }

    public static float Sigmoid(float logit) => (float)(1.0 / (1.0 + Math.Exp(-logit)));
}
