using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Models;

/// <summary>A network with its manifest. Prediction is thread-safe (eval mode, no_grad, a dispose scope per call).</summary>
public sealed class TrainedModel : IDisposable
{
    public const string WeightsFileName = "model.weights";
    public const string ManifestFileName = "model.json";

    public required ModelManifest Manifest { get; init; }

    public ImageSize InputSize => new(Manifest.ImageHeight, Manifest.ImageWidth);

    /// <summary>Writes weights and manifest into <paramref name="directory"/> (each file atomically).</summary>
    public void Save(string directory) => throw new NotImplementedException();

    /// <summary>Throws <see cref="InvalidModelException"/> when the directory does not hold a model this version can load.</summary>
    public static TrainedModel Load(string directory) => throw new NotImplementedException();

    /// <summary>Probability of Positive for each image (prepared at <see cref="InputSize"/>).</summary>
    public float[] PredictPositive(IReadOnlyList<PreparedImage> images) => throw new NotImplementedException();

    public void Dispose() { }
}

public sealed class InvalidModelException(string message, Exception? inner = null) : Exception(message, inner);
