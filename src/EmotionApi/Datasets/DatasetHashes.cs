using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;

namespace EmotionApi.Datasets;

/// <summary>
/// The perceptual hashes of a dataset's images, by stored path. Ingest writes them into the manifest; a dataset stored
/// before ingest hashed gets them computed once, when first needed, into <see cref="FileName"/> beside its manifest
/// (the manifest itself is never rewritten).
/// </summary>
internal static class DatasetHashes
{
    public const string FileName = "hashes.json";

    /// <summary>16 lower-case hex digits: how manifests store a hash.</summary>
    public static string Format(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out ulong hash) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);

    /// <summary>Every image's hash from the manifest, else from <see cref="FileName"/>; null while some image has none.</summary>
    public static IReadOnlyDictionary<string, ulong>? Read(DatasetManifest manifest, string folder, JsonSerializerOptions json)
    {
        var stored = new Dictionary<string, ulong>(manifest.Images.Count, StringComparer.Ordinal);
        foreach (var image in manifest.Images)
            if (TryParse(image.Hash, out var hash)) stored[image.Path] = hash;
        if (stored.Count == manifest.Images.Count) return stored;

        var computed = ReadFile(Path.Combine(folder, FileName), json);
        if (computed is null) return null;
        foreach (var image in manifest.Images)
        {
            if (stored.ContainsKey(image.Path)) continue;
            if (!computed.TryGetValue(image.Path, out var text) || !TryParse(text, out var hash)) return null;
            stored[image.Path] = hash;
        }
        return stored;
    }

    /// <summary>Hashes every image of the dataset from its stored file, on every core, and writes <see cref="FileName"/> atomically.</summary>
    /// <exception cref="ImageRejectedException">A stored file no longer decodes.</exception>
    public static IReadOnlyDictionary<string, ulong> Compute(DatasetManifest manifest, string folder, ImageLimits limits, JsonSerializerOptions json)
    {
        var hashes = new ConcurrentDictionary<string, ulong>(StringComparer.Ordinal);
        try
        {
            Parallel.ForEach(manifest.Images, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, image =>
            {
                try
                {
                    hashes[image.Path] = PerceptualHash.Compute(File.ReadAllBytes(Path.Combine(folder, image.Path)), limits);
                }
                catch (Exception e) when (e is ImageRejectedException or IOException or UnauthorizedAccessException)
                {
                    // Named by its path in the dataset: the file system's own messages carry the server's paths.
                    throw new ImageRejectedException($"{image.Path}: {(e is ImageRejectedException ? e.Message : "the file is missing or cannot be read.")}");
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // The image that failed first, not a wrapper of all the workers' failures.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        var file = new HashesFile(1, manifest.Images.ToDictionary(image => image.Path, image => Format(hashes[image.Path]), StringComparer.Ordinal));
        AtomicFile.WriteJson(Path.Combine(folder, FileName), file, json);
        return hashes.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    private static IReadOnlyDictionary<string, string>? ReadFile(string path, JsonSerializerOptions json)
    {
        try
        {
            return AtomicFile.ReadJson<HashesFile>(path, json)?.Hashes;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null; // unreadable: computed again and rewritten
        }
    }

    /// <summary><see cref="FileName"/>: the hashes of a dataset stored before ingest hashed, by stored path.</summary>
    private sealed record HashesFile(int FormatVersion, IReadOnlyDictionary<string, string> Hashes);
}
