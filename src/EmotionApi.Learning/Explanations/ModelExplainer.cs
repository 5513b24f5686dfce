using System.Runtime.CompilerServices;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Explanations;

/// <summary>
/// Explains one prediction with a heatmap: Grad-CAM on the network's last convolution where its map is fine enough to
/// point at a part of a face, occlusion where it is not (compact-cnn's last map is 2x2 at the tiny preset's 32x32, 6x6 at
/// the default's 96x96; ResNet-18's is 7x7 at 224, the article network's 11x14 at 400x500). The heat
/// explains the label the model gave: what raised the probability of Positive for a Positive label, what lowered it for a
/// Negative one. Thread-safe as prediction is: nothing is written to the model (gradients go to the activations only).
/// </summary>
public static class ModelExplainer
{
    /// <summary>
    /// Grad-CAM needs a last convolution map of at least this many cells on its shorter side: on synthetic faces it told
    /// the mouth from the background at 6x6 and not at 4x4 or 2x2 (docs/explanations.md), where occlusion is used.
    /// </summary>
    public const int MinGradCamSide = 6;

    /// <summary>Positions of the occluding patch along each side (the patch is twice the step).</summary>
    public const int OcclusionSteps = 15;

    /// <param name="model">The model.</param>
    /// <param name="image">The image, prepared at the model's input size.</param>
    /// <param name="threshold">The threshold that decides the label (the model's current one).</param>
    /// <param name="method">Grad-CAM or occlusion; null chooses (<see cref="MinGradCamSide"/>).</param>
    /// <param name="cancellationToken">Checked between occlusion passes (about 230 of them at 15 positions a side).</param>
    /// <exception cref="NotSupportedException">Grad-CAM asked of a network without convolutions the explainer knows.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Explanation Explain(
        TrainedModel model, PreparedImage image, double threshold, ExplanationMethod? method = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        if (image.Size != model.InputSize) throw new ArgumentException($"The image is {image.Size}; the model takes {model.InputSize}.", nameof(image));

        double positive = model.PredictPositive([image])[0];
        var label = BinaryEvaluation.IsPositive(positive, threshold) ? EmotionClass.Positive : EmotionClass.Negative;
        var layered = model.Network as ILayeredNetwork;
        var (mapHeight, mapWidth) = layered is null ? (0, 0) : LastConvolutionMap(layered, model.InputSize);
        var chosen = method ?? (Math.Min(mapHeight, mapWidth) >= MinGradCamSide ? ExplanationMethod.GradCam : ExplanationMethod.Occlusion);

        if (chosen == ExplanationMethod.Occlusion)
        {
            var (heat, steps) = Occlusion(model, image, positive, label, cancellationToken);
            return new Explanation(positive, label, chosen, image.Size.Height, image.Size.Width, heat, steps.Height, steps.Width);
        }
        if (layered is null || mapHeight == 0)
            throw new NotSupportedException($"Grad-CAM does not know the convolutions of network '{model.Manifest.Network}'.");
        var camHeat = GradCam(layered, image, label, model.Manifest.Settings.TestTimeFlip);
        return new Explanation(positive, label, chosen, image.Size.Height, image.Size.Width, camHeat, mapHeight, mapWidth);
    }

    /// <summary>
    /// Grad-CAM of the label's logit (its negation for Negative) on the last convolution, resized (bilinear) to the image.
    /// A model that scores the mean logit of an image and its mirror image (<paramref name="mirrorAveraged"/>) is
    /// explained the same way: the mean logit's gradient through both, the mirror's map flipped back, the two averaged.
    /// </summary>
    private static float[] GradCam(ILayeredNetwork network, PreparedImage image, EmotionClass label, bool mirrorAveraged)
    {
        var layers = network.InferenceLayers;
        var last = LastConvolutionIndex(layers);
        using var scope = NewDisposeScope();
        using var pixels = BatchPixels.Of([image]);
        Tensor x;
        using (no_grad())
        {
            var input = NetworkInput.Batch(pixels);
            if (mirrorAveraged) input = cat([input, input.flip(-1)], 0);
            x = LayeredInference.Through(layers, LayeredInference.Input(network, input), 0, last);
        }

        using var gradients = enable_grad();
        var features = x.detach().contiguous().requires_grad_(true);
        var logit = LayeredInference.Through(layers, features, last + 1, layers.Count - 1).reshape(-1).mean();
        var target = label == EmotionClass.Positive ? logit : -logit;
        var gradient = autograd.grad([target], [features])[0];

        using (no_grad())
        {
            var weights = gradient.mean([2, 3], keepdim: true);
            var cams = nn.functional.relu((weights * features).sum(1, keepdim: true));
            var cam = mirrorAveraged ? cams[0].add(cams[1].flip(-1)).div(2).unsqueeze(0) : cams;
            var resized = nn.functional.interpolate(cam, [image.Size.Height, image.Size.Width], mode: InterpolationMode.Bilinear, align_corners: false);
            return Normalised(resized.reshape(-1).to_type(ScalarType.Float32).contiguous().data<float>().ToArray());
        }
    }

    /// <summary>
    /// Slides a patch of the image's mean colour over it (<see cref="OcclusionSteps"/> positions per side, the patch two steps
    /// wide); each pixel's heat is the mean, over the patches covering it, of how far covering moved the probability away
    /// from the label (no heat where covering moved it towards the label).
    /// </summary>
    private static (float[] Heat, (int Height, int Width) Steps) Occlusion(
        TrainedModel model, PreparedImage image, double positive, EmotionClass label, CancellationToken cancellationToken)
    {
        var (height, width) = (image.Size.Height, image.Size.Width);
        var rows = Positions(height);
        var columns = Positions(width);
        var mean = new byte[3];
        for (var c = 0; c < 3; c++)
        {
            long sum = 0;
            for (var i = c; i < image.Pixels.Length; i += 3) sum += image.Pixels[i];
            mean[c] = (byte)(sum / (height * width));
        }

        var patches = rows.SelectMany(row => columns.Select(column => (Row: row, Column: column))).ToArray();
        var heat = new double[height * width];
        var coverage = new int[height * width];
        const int chunk = TrainedModel.PredictionBatchSize;
        for (var start = 0; start < patches.Length; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = patches.Skip(start).Take(chunk).ToArray();
            var covered = batch.Select(patch => Covered(image, patch.Row, patch.Column, mean)).ToArray();
            var probabilities = model.PredictPositive(covered);
            for (var k = 0; k < batch.Length; k++)
            {
                var shift = label == EmotionClass.Positive ? positive - probabilities[k] : probabilities[k] - positive;
                var ((top, bottom), (left, right)) = (batch[k].Row, batch[k].Column);
                for (var y = top; y < bottom; y++)
                for (var x = left; x < right; x++)
                {
                    heat[y * width + x] += Math.Max(0, shift);
                    coverage[y * width + x]++;
                }
            }
        }
        var averaged = heat.Select((value, i) => coverage[i] == 0 ? 0f : (float)(value / coverage[i])).ToArray();
        return (Normalised(averaged), (rows.Count, columns.Count));
    }

    /// <summary>Patch spans [start, end) along a side: two steps wide, from the first pixel to the last.</summary>
    private static IReadOnlyList<(int Start, int End)> Positions(int side)
    {
        var patch = Math.Max(1, (int)Math.Ceiling(2.0 * side / (OcclusionSteps + 1)));
        var count = Math.Min(OcclusionSteps, side - patch + 1);
        return Enumerable.Range(0, count)
            .Select(i => count == 1 ? 0 : (int)Math.Round((double)i * (side - patch) / (count - 1)))
            .Distinct()
            .Select(start => (start, start + patch))
            .ToList();
    }

    private static PreparedImage Covered(PreparedImage image, (int Start, int End) rows, (int Start, int End) columns, byte[] colour)
    {
        var pixels = (byte[])image.Pixels.Clone();
        var width = image.Size.Width;
        for (var y = rows.Start; y < rows.End; y++)
        for (var x = columns.Start; x < columns.End; x++)
            colour.CopyTo(pixels, (y * width + x) * 3);
        return new PreparedImage(image.Size, pixels);
    }

    /// <summary>Scaled so the strongest is 1; all zero stays zero (nothing drove the label more than anything else).</summary>
    private static float[] Normalised(float[] heat)
    {
        var max = heat.Max();
        if (!(max > 0)) return new float[heat.Length];
        return heat.Select(value => Math.Clamp(value / max, 0f, 1f)).ToArray();
    }

    /// <summary>The size of the last convolution's output for an input of <paramref name="size"/>, by running a blank image.</summary>
    /// <summary>The last convolution map's size, per loaded network: it depends on the network and its input size only.</summary>
    private static readonly ConditionalWeakTable<ILayeredNetwork, StrongBox<(ImageSize Input, (int Height, int Width) Map)>> MapSizes = new();

    /// <summary>The last convolution map's size at <paramref name="size"/>: one pass of a blank image, the first time a loaded network asks.</summary>
    private static (int Height, int Width) LastConvolutionMap(ILayeredNetwork network, ImageSize size)
    {
        if (MapSizes.TryGetValue(network, out var known) && known.Value.Input == size) return known.Value.Map;
        var map = MeasureLastConvolutionMap(network, size);
        MapSizes.AddOrUpdate(network, new StrongBox<(ImageSize, (int, int))>((size, map)));
        return map;
    }

    private static (int Height, int Width) MeasureLastConvolutionMap(ILayeredNetwork network, ImageSize size)
    {
        var last = LastConvolutionIndex(network.InferenceLayers);
        if (last < 0) return (0, 0);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = LayeredInference.Through(network.InferenceLayers, zeros(1, 3, size.Height, size.Width), 0, last);
        return ((int)x.shape[2], (int)x.shape[3]);
    }

    private static int LastConvolutionIndex(IReadOnlyList<nn.Module> layers)
    {
        for (var i = layers.Count - 1; i >= 0; i--)
            if (layers[i] is Conv2d or ConvBatchNormRelu or ResNetBasicBlock) return i;
        return -1;
    }
}
