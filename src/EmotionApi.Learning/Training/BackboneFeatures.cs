using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// A frozen backbone's features of every image and of its mirror image, computed once (eval mode, no gradients),
/// batch by batch from the prepared images: what the frozen-backbone variant trains its head on, epoch after epoch,
/// without another backbone pass.
/// </summary>
internal static class BackboneFeatures
{
    /// <summary>Features [N, 2, F]: [i, 0] of image i as it is, [i, 1] of its mirror image. Outside any dispose scope; the caller owns it.</summary>
    public static Tensor Compute(nn.Module<Tensor, Tensor> backbone, IPreparedImageSource images, int batchSize, CancellationToken cancellationToken)
    {
        backbone.eval();
        if (images.Count == 0) return torch.empty(0, 2, 0).DetachFromDisposeScope();
        // One batch read ahead: the next images load while the backbone runs.
        using var reader = new BatchReader(images.Size, Math.Min(batchSize, images.Count), readAhead: 1);
        using var noGrad = torch.no_grad();
        Tensor? features = null;
        try
        {
            var start = 0;
            foreach (var pixels in reader.Read(images, Enumerable.Range(0, images.Count).ToArray(), cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                var batch = NetworkInput.Batch(pixels);
                // The last axis is the width: flipping it mirrors each image left to right.
                var pair = torch.stack([backbone.forward(batch), backbone.forward(batch.flip(-1))], dim: 1);
                features ??= torch.empty(images.Count, 2, pair.shape[2]).DetachFromDisposeScope();
                features.narrow(0, start, pixels.Count).copy_(pair);
                start += pixels.Count;
            }
            return features!;
        }
        catch
        {
            features?.Dispose();
            throw;
        }
    }
}
