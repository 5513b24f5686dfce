using EmotionApi.Learning.Explanations;
using EmotionApi.Learning.Images;
using EmotionApi.Models;
using EmotionApi.Shared;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary>
/// Explains one prediction: which regions of the image drove the model to its label (<see cref="ModelExplainer"/>), as a
/// heatmap at the model's input size or drawn over the image. One image, one model, apart from the batched /api/predict path.
/// </summary>
public sealed class ImageExplainer(ModelRegistry registry, ImageLimits limits, IOptions<PredictionOptions> options)
{
    /// <summary>The overlay keeps the image's size up to this many pixels on its longer side.</summary>
    public const int MaxOverlaySide = 512;

    /// <summary>Explains <paramref name="image"/> with the model named or the default one.</summary>
    /// <param name="modelId">The model to use; the default one when null or empty.</param>
    /// <param name="image">The uploaded image, not read yet.</param>
    /// <param name="cancellationToken">The request's.</param>
    /// <param name="method">"gradCam" or "occlusion" (any case; "grad-cam" too); null or empty lets the explainer choose.</param>
    /// <exception cref="ValidationException">No usable image, or an unknown method.</exception>
    /// <exception cref="InputTooLargeException">The image is over <see cref="PredictionOptions.MaxFileBytes"/>.</exception>
    /// <exception cref="NotFoundException">No model has the id <paramref name="modelId"/>.</exception>
    /// <exception cref="ConflictException">No model has been trained yet.</exception>
    /// <exception cref="UnavailableException">The model's files no longer load.</exception>
    public async Task<ExplainedImage> ExplainAsync(string? modelId, PredictionImage image, string? method, CancellationToken cancellationToken)
    {
        var chosenMethod = ParseMethod(method);
        var maxBytes = options.Value.MaxFileBytes;
        if (image.Length > maxBytes)
            throw new InputTooLargeException("Image too large", $"{image.FileName} has {image.Length} bytes; the limit is {maxBytes}.");
        if (image.Length == 0) throw new ValidationException("file", $"{image.FileName}: the file is empty.");
        var model = registry.NamedOrDefault(modelId);

        var content = new byte[image.Length];
        await using (var stream = image.Open()) await stream.ReadExactlyAsync(content, cancellationToken);

        // Decoding and the passes through the network are CPU work: on the thread pool.
        return await Task.Run(() =>
        {
            using var lease = registry.Load(model);
            PreparedImage prepared;
            try
            {
                prepared = ImageCodec.Prepare(content, lease.Model.InputSize, limits);
            }
            catch (ImageRejectedException e)
            {
                throw new ValidationException("file", $"{image.FileName}: {e.Message}");
            }
            cancellationToken.ThrowIfCancellationRequested();
            var explanation = ModelExplainer.Explain(lease.Model, prepared, model.Threshold, chosenMethod, cancellationToken);
            return new ExplainedImage(model.Id, model.Threshold, image.FileName, content, explanation);
        }, cancellationToken);
    }

    /// <summary>The image at its own size (at most <see cref="MaxOverlaySide"/> on its longer side) with the heat over it, as a PNG.</summary>
    public byte[] Overlay(ExplainedImage explained)
    {
        // The header was checked when the image was prepared for the model.
        var header = ImageCodec.Identify(explained.Content)!;
        var scale = Math.Min(1.0, (double)MaxOverlaySide / Math.Max(header.Width, header.Height));
        var size = new ImageSize(Math.Max(1, (int)Math.Round(header.Height * scale)), Math.Max(1, (int)Math.Round(header.Width * scale)));
        return HeatmapOverlay.Png(ImageCodec.Prepare(explained.Content, size, limits), explained.Explanation);
    }

    private static ExplanationMethod? ParseMethod(string? method) => method?.Trim().Replace("-", "").ToLowerInvariant() switch
    {
        null or "" => null,
        "gradcam" => ExplanationMethod.GradCam,
        "occlusion" => ExplanationMethod.Occlusion,
        _ => throw new ValidationException("method", $"Unknown method '{method}'. Methods: gradCam, occlusion (or leave it out to let the service choose)."),
    };
}
