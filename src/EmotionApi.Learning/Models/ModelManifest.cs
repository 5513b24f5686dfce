using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;
using TorchSharp;

namespace EmotionApi.Learning.Models;

/// <summary>Everything needed to use and trust a saved model, written beside its weights.</summary>
public sealed record ModelManifest
{
    public const int CurrentFormat = 1;

    /// <summary>Class names in index order (the article's: Keras sorts folder names, Negative = 0, Positive = 1).</summary>
    public static IReadOnlyList<string> BinaryClassNames { get; } = [nameof(EmotionClass.Negative), nameof(EmotionClass.Positive)];

    /// <summary>
    /// How manifests are written and read: camelCase like the web API, enums as strings, and NaN / infinity
    /// allowed (the first ROC threshold is +infinity, an AUC of a one-class test set is NaN).
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public int Format { get; init; } = CurrentFormat;
    public required string Network { get; init; }
    public required int ImageHeight { get; init; }
    public required int ImageWidth { get; init; }
    /// <summary>How inputs are prepared: "rgb, flatten-alpha-on-white, resize-bilinear, scale-1/255".</summary>
    public required string Preparation { get; init; }
    /// <summary>Index order: ["Negative", "Positive"].</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>Probability of Positive above which an image is called Positive.</summary>
    public required double Threshold { get; init; }
    /// <summary>
    /// How <see cref="Threshold"/> was chosen. Null in manifests written before thresholds could be chosen: there it is
    /// the training settings' (<see cref="EffectiveThresholdOrigin"/>).
    /// </summary>
    public ThresholdOrigin? ThresholdOrigin { get; init; }
    public required TrainingSettings Settings { get; init; }
    public EvaluationReport? TestMetrics { get; init; }
    public int? BestEpoch { get; init; }
    public required IReadOnlyDictionary<string, string> LibraryVersions { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>
    /// SHA-256 (hex) of the weights file, set when the model is saved: a manifest never vouches for weights
    /// written by another save (the two files are replaced one after the other).
    /// </summary>
    public string? WeightsSha256 { get; init; }

    /// <summary><see cref="ThresholdOrigin"/>, or <see cref="Models.ThresholdOrigin.Default"/> for a manifest without one.</summary>
    [JsonIgnore]
    public ThresholdOrigin EffectiveThresholdOrigin => ThresholdOrigin ?? Models.ThresholdOrigin.Default;

    /// <summary>Versions of what produced a model: TorchSharp, libtorch, ImageSharp, .NET, this library.</summary>
    public static IReadOnlyDictionary<string, string> CurrentLibraryVersions() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["TorchSharp"] = VersionOf(typeof(torch).Assembly),
        ["libtorch"] = LibTorchVersion(),
        ["ImageSharp"] = VersionOf(typeof(SixLabors.ImageSharp.Image).Assembly),
        [".NET"] = RuntimeInformation.FrameworkDescription,
        ["EmotionApi.Learning"] = VersionOf(typeof(ModelManifest).Assembly),
    };

    private static string VersionOf(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Drop a "+<commit>" suffix: the version is what a reader compares.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }

    private static string LibTorchVersion()
    {
        try
        {
            return torch.__version__;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return "unknown";
        }
    }
}
