using System.Security.Cryptography;
using System.Text.Json;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Models;

/// <summary>
/// A network with its manifest. Prediction is thread-safe: the network stays in eval mode (nothing in a
/// forward pass mutates it), and no_grad and the dispose scopes are per call and per thread.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    public const string WeightsFileName = "model.weights";
    public const string ManifestFileName = "model.json";

    /// <summary>Images per forward pass when predicting: bounds the memory of one call.</summary>
    public const int PredictionBatchSize = 32;

    private readonly nn.Module<Tensor, Tensor> network;
    private volatile bool disposed;

    /// <summary>Takes ownership of <paramref name="network"/> (disposed with the model) and puts it in eval mode.</summary>
    public TrainedModel(ModelManifest manifest, nn.Module<Tensor, Tensor> network)
    {
        Manifest = manifest;
        this.network = network;
        network.eval();
    }

    public ModelManifest Manifest { get; }

    public ImageSize InputSize => new(Manifest.ImageHeight, Manifest.ImageWidth);

    internal nn.Module<Tensor, Tensor> Network => network;

    /// <summary>
    /// Writes weights and manifest into <paramref name="directory"/> (created if needed), each file atomically;
    /// the manifest, written last, records the weights' SHA-256 so a reader never pairs it with other weights.
    /// </summary>
    public void Save(string directory)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Directory.CreateDirectory(directory);
        var weights = SerializeWeights(network);
        AtomicFile.WriteAllBytes(Path.Combine(directory, WeightsFileName), weights);
        AtomicFile.WriteJson(Path.Combine(directory, ManifestFileName), Manifest with { WeightsSha256 = Sha256(weights) }, ModelManifest.JsonOptions);
    }

    /// <summary>
    /// Records a new decision threshold and how it was chosen in the manifest of the model saved in
    /// <paramref name="directory"/>: one file replaced atomically, the weights untouched (their SHA-256 still holds).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold not strictly between 0 and 1.</exception>
    /// <exception cref="InvalidModelException">The directory does not hold a manifest this version reads.</exception>
    public static ModelManifest WriteThreshold(string directory, double threshold, ThresholdOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!(threshold is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "A threshold must be above 0 and below 1.");
        var manifest = ReadManifest(directory) with { Threshold = threshold, ThresholdOrigin = origin };
        AtomicFile.WriteJson(Path.Combine(directory, ManifestFileName), manifest, ModelManifest.JsonOptions);
        return manifest;
    }

    /// <summary>Throws <see cref="InvalidModelException"/> when the directory does not hold a model this version can load.</summary>
    public static TrainedModel Load(string directory)
    {
        var manifest = ReadManifest(directory);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath))
            throw new InvalidModelException($"The model in '{directory}' has no weights file ({WeightsFileName}).");
        var weights = File.ReadAllBytes(weightsPath);
        if (manifest.WeightsSha256 is { } expected && !string.Equals(expected, Sha256(weights), StringComparison.OrdinalIgnoreCase))
            throw new InvalidModelException($"The weights in '{directory}' are not the ones its manifest describes (SHA-256 differs).");

        TorchRuntime.EnsureLoaded();
        var network = NetworkCatalog.CreateForLoading(manifest.Network, new ImageSize(manifest.ImageHeight, manifest.ImageWidth));
        try
        {
            LoadWeights(network, weights);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            // TorchSharp reports another architecture as ArgumentException "Mismatched tensor shape".
            throw new InvalidModelException(
                $"The weights in '{directory}' do not fit network '{manifest.Network}' at {manifest.ImageHeight}x{manifest.ImageWidth}: {e.Message}", e);
        }
        return new TrainedModel(manifest, network);
    }

    /// <summary>
    /// Probability of Positive for each image (prepared at <see cref="InputSize"/>), in order; from the mean logit of the
    /// image and its mirror image when the model was trained with <see cref="Training.TrainingSettings.TestTimeFlip"/>.
    /// </summary>
    public float[] PredictPositive(IReadOnlyList<PreparedImage> images)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(images);
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Size != InputSize)
                throw new ArgumentException($"Image {i} is {images[i].Size}; this model takes {InputSize}.", nameof(images));
        }
        var probabilities = NetworkInference.Logits(network, new PreparedImageList(InputSize, images), PredictionBatchSize,
            mirrorAveraged: Manifest.Settings.TestTimeFlip);
        for (var i = 0; i < probabilities.Length; i++) probabilities[i] = NetworkInference.Sigmoid(probabilities[i]);
        return probabilities;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        network.Dispose();
    }

    internal static byte[] SerializeWeights(nn.Module network)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            network.save(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>Loads weights written by <see cref="SerializeWeights"/>; the whole content must be one state dictionary.</summary>
    internal static void LoadWeights(nn.Module network, byte[] weights)
    {
        using var reader = new BinaryReader(new MemoryStream(weights, writable: false));
        network.load(reader, strict: true);
        if (reader.BaseStream.Position != reader.BaseStream.Length)
            throw new InvalidDataException($"{reader.BaseStream.Length - reader.BaseStream.Position} bytes follow the weights.");
    }

    /// <summary>The manifest of the model saved in <paramref name="directory"/>, checked as <see cref="Load"/> checks it, without its weights.</summary>
    /// <exception cref="InvalidModelException">No manifest this version reads.</exception>
    public static ModelManifest ReadManifest(string directory)
    {
        if (!Directory.Exists(directory))
            throw new InvalidModelException($"There is no model directory '{directory}'.");
        var path = Path.Combine(directory, ManifestFileName);
        ModelManifest? manifest;
        try
        {
            manifest = AtomicFile.ReadJson<ModelManifest>(path, ModelManifest.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"'{path}' is not a model manifest: {e.Message}", e);
        }
        if (manifest is null)
            throw new InvalidModelException($"The directory '{directory}' holds no model ({ManifestFileName} is missing).");
        if (manifest.Format != ModelManifest.CurrentFormat)
            throw new InvalidModelException($"The model in '{directory}' has manifest format {manifest.Format}; this version reads format {ModelManifest.CurrentFormat}.");
        if (!NetworkCatalog.Exists(manifest.Network))
            throw new InvalidModelException($"The model in '{directory}' uses network '{manifest.Network}', which this version does not know.");
        var (min, max) = NetworkCatalog.SupportedSide(manifest.Network);
        if (manifest.ImageHeight < min || manifest.ImageHeight > max || manifest.ImageWidth < min || manifest.ImageWidth > max)
            throw new InvalidModelException($"The model in '{directory}' takes {manifest.ImageHeight}x{manifest.ImageWidth} images; network '{manifest.Network}' takes sides {min} to {max}.");
        if (!manifest.ClassNames.SequenceEqual(ModelManifest.BinaryClassNames))
            throw new InvalidModelException($"The model in '{directory}' has classes [{string.Join(", ", manifest.ClassNames)}]; expected [{string.Join(", ", ModelManifest.BinaryClassNames)}].");
        return manifest;
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
