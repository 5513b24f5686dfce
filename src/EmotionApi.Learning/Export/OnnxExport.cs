using System.Globalization;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using Google.Protobuf;

namespace EmotionApi.Learning.Export;

/// <summary>
/// A trained model as an ONNX file that any ONNX runtime runs: input <see cref="InputName"/>, float [N, 3, H, W], RGB in
/// [0, 1] at the model's input size (prepared as <see cref="ModelManifest.Preparation"/> says; any normalisation a network
/// needs is inside the graph); output <see cref="OutputName"/>, float [N], the probability of Positive (from the mean logit
/// of each image and its mirror image, inside the graph, for a model trained with flip test-time augmentation, as
/// /api/predict scores it). Opset 13. The manifest's threshold, class names, network and preparation travel as metadata.
/// </summary>
public static class OnnxExport
{
    public const string InputName = "images";
    public const string OutputName = "positive";
    public const int OpsetVersion = OnnxGraphWriter.OpsetVersion;

    /// <exception cref="NotSupportedException">A network the export cannot write.</exception>
    public static byte[] ToBytes(TrainedModel model) =>
        ToBytes(model, model.Manifest.Threshold, model.Manifest.EffectiveThresholdOrigin.Rule);

    /// <summary>The same, with the threshold chosen since the model was loaded (its manifest on disk may have changed).</summary>
    public static byte[] ToBytes(TrainedModel model, double threshold, string thresholdRule)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Network is not ILayeredNetwork layered)
            throw new NotSupportedException($"The ONNX export does not know network '{model.Manifest.Network}'.");

        var manifest = model.Manifest;
        var writer = new OnnxGraphWriter($"emotion-{manifest.Network}");
        var x = writer.Input(InputName, model.InputSize);
        if (layered.InputNormalisation(model.InputSize) is { } normalisation)
        {
            using var offset = normalisation.Offset;
            x = writer.Normalise(x, normalisation.Scale, offset);
        }
        // A model trained with flip test-time augmentation scores the mean logit of each image and its mirror image.
        var mirrorAveraged = manifest.Settings.TestTimeFlip;
        if (mirrorAveraged) x = writer.WithMirrorImages(x);
        foreach (var layer in layered.InferenceLayers) x = writer.Layer(x, layer);
        var logits = writer.ToVector(x);
        if (mirrorAveraged) logits = writer.MeanOverMirrorImages(logits);
        writer.Output(writer.Sigmoid(logits), OutputName);

        var description =
            $"EmotionApi {manifest.Network} at {manifest.ImageHeight}x{manifest.ImageWidth}: '{InputName}' float [N, 3, {manifest.ImageHeight}, {manifest.ImageWidth}] " +
            $"RGB in [0, 1] -> '{OutputName}' float [N], the probability of {manifest.ClassNames[1]}. Positive when above the threshold " +
            $"{threshold.ToString(CultureInfo.InvariantCulture)}.";
        var metadata = new Dictionary<string, string>
        {
            ["network"] = manifest.Network,
            ["threshold"] = threshold.ToString("R", CultureInfo.InvariantCulture),
            ["threshold_rule"] = thresholdRule,
            ["class_names"] = string.Join(",", manifest.ClassNames),
            ["preparation"] = manifest.Preparation,
            ["image_height"] = manifest.ImageHeight.ToString(CultureInfo.InvariantCulture),
            ["image_width"] = manifest.ImageWidth.ToString(CultureInfo.InvariantCulture),
            ["mirror_averaged"] = mirrorAveraged ? "true" : "false",
        };
        return writer.Model(manifest.LibraryVersions.GetValueOrDefault("EmotionApi.Learning", "unknown"), description, metadata).ToByteArray();
    }
}
