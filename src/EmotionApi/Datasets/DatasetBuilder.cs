using System.Collections.Concurrent;
using System.Text.Json;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;
using EmotionApi.Shared;

namespace EmotionApi.Datasets;

/// <summary>
/// Builds one dataset inside a work folder under tmp/: every image is checked and hashed by
/// <see cref="PerceptualHash.Fingerprint"/> (<see cref="ImageCodec"/>'s checks, the code path training and prediction use
/// too) and stored as its original bytes under a name the service chooses, its hash in the manifest; bad files are
/// recorded as skipped. <see cref="Add"/> and <see cref="Skip"/> may be called from
/// several threads. Nothing is visible outside the work folder until <see cref="Complete"/> moves it into place.
/// </summary>
internal sealed class DatasetBuilder
{
    private readonly string _contentFolder;
    private readonly ImageLimits _limits;
    private readonly ConcurrentBag<(int Sequence, StoredImage Image)> _images = [];
    private readonly ConcurrentBag<(SkippedFile File, EmotionClass? Label)> _skipped = [];

    public DatasetBuilder(string workFolder, ImageLimits limits)
    {
        _contentFolder = Path.Combine(workFolder, "dataset");
        _limits = limits;
        foreach (var label in Enum.GetValues<EmotionClass>())
            Directory.CreateDirectory(Path.Combine(_contentFolder, ImagesFolder, FolderOf(label)));
    }

    public const string ImagesFolder = "images";

    /// <summary>The folder of a class inside <see cref="ImagesFolder"/>.</summary>
    public static string FolderOf(EmotionClass label) => label.ToString().ToLowerInvariant();

    public void Add(IncomingImage image)
    {
        ImageFingerprint fingerprint;
        try
        {
            // Validate's checks and decode, plus the perceptual hash the audit and the grouped split read.
            fingerprint = PerceptualHash.Fingerprint(image.Content, _limits);
        }
        catch (ImageRejectedException e)
        {
            Skip(new SkippedFile(image.OriginalName, e.Message), image.Label);
            return;
        }

        var header = fingerprint.Header;
        var format = header.Format.ToLowerInvariant();
        var relativePath = $"{ImagesFolder}/{FolderOf(image.Label)}/{image.Sequence:D5}.{ExtensionOf(format)}";
        // On disk before the manifest that lists it: a crash must not leave a visible dataset of empty files.
        using (var file = new FileStream(Path.Combine(_contentFolder, relativePath), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(image.Content);
            file.Flush(flushToDisk: true);
        }
        _images.Add((image.Sequence,
            new StoredImage(relativePath, image.OriginalName, image.Label, format, header.Width, header.Height, image.Content.LongLength)
            {
                Hash = DatasetHashes.Format(fingerprint.Hash),
            }));
    }

    public void Skip(SkippedFile file, EmotionClass? label = null) => _skipped.Add((file, label));

    /// <summary>
    /// Writes the manifest and moves the finished dataset to <paramref name="destination"/> with one rename.
    /// Refuses (<see cref="InputRefusedException"/>) a dataset in which a class has no usable image: nothing could be trained on it.
    /// </summary>
    public DatasetManifest Complete(string id, string name, DatasetSource source, DateTimeOffset createdAt,
        string destination, JsonSerializerOptions json)
    {
        var images = _images.OrderBy(image => image.Sequence).Select(image => image.Image).ToList();
        var skipped = _skipped.Select(skip => skip.File).OrderBy(file => file.Path, StringComparer.Ordinal).ToList();

        var emptyClasses = Enum.GetValues<EmotionClass>().Where(label => images.All(image => image.Class != label)).ToList();
        if (emptyClasses.Count > 0)
            throw new InputRefusedException("Class without images", string.Join(" ", emptyClasses.Select(DescribeEmptyClass)));

        var manifest = new DatasetManifest(DatasetManifest.CurrentFormatVersion, id, name, createdAt, source, images, skipped);
        AtomicFile.WriteJson(Path.Combine(_contentFolder, DatasetManifest.FileName), manifest, json);
        Directory.Move(_contentFolder, destination);
        return manifest;
    }

    private string DescribeEmptyClass(EmotionClass label)
    {
        var skipped = _skipped.Where(skip => skip.Label == label).Select(skip => skip.File)
            .OrderBy(file => file.Path, StringComparer.Ordinal).ToList();
        if (skipped.Count == 0)
            return $"The {label} class has no image: the archive has no {label} folder, or it is empty.";
        var examples = string.Join("; ", skipped.Take(3).Select(file => $"'{file.Path}': {file.Reason}"));
        return $"The {label} class has no usable image: {skipped.Count} file(s) skipped ({examples}{(skipped.Count > 3 ? "; ..." : "")}).";
    }

    /// <summary>The stored file's extension, from the format the header declared (never from the upload's name).</summary>
    private static string ExtensionOf(string format) => format switch
    {
        "jpeg" or "jpg" => "jpg",
        _ when format.Length is > 0 and <= 8 && format.All(char.IsAsciiLetterOrDigit) => format,
        _ => "img",
    };
}
