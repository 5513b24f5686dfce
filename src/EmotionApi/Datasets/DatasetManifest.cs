using System.Text.Json.Serialization;
using EmotionApi.Learning.Data;

namespace EmotionApi.Datasets;

/// <summary>
/// <c>datasets/{id}/dataset.json</c>: everything known about a dataset. Written once, inside the
/// temporary folder, before the folder is moved into view; never changed afterwards.
/// </summary>
public sealed record DatasetManifest(
    int FormatVersion,
    string Id,
    string Name,
    DateTimeOffset CreatedAt,
    DatasetSource Source,
    IReadOnlyList<StoredImage> Images,
    IReadOnlyList<SkippedFile> Skipped)
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "dataset.json";
}

/// <summary>An accepted image, stored as its original bytes.</summary>
/// <param name="Path">Relative to the dataset's folder, '/'-separated: <c>images/positive/00001.jpg</c>. Chosen by the service, never by the upload.</param>
/// <param name="OriginalName">The entry's name in the archive (or the generator's file name).</param>
/// <param name="Class">The class of the folder it came from.</param>
/// <param name="Format">What the image's header says it is, lower case: png, jpeg, gif, bmp, webp.</param>
/// <param name="Width">Width in pixels, from the image itself.</param>
/// <param name="Height">Height in pixels, from the image itself.</param>
/// <param name="Bytes">Size of the stored file.</param>
public sealed record StoredImage(string Path, string OriginalName, EmotionClass Class, string Format, int Width, int Height, long Bytes)
{
    /// <summary>
    /// Its 64-bit perceptual hash (<see cref="Learning.Audit.PerceptualHash"/>) as 16 lower-case hex digits, computed at
    /// ingest. Absent from datasets stored before the audit existed: their hashes are computed once, when first needed,
    /// into <see cref="DatasetHashes.FileName"/> beside the manifest.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Hash { get; init; }
}
