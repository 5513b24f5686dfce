using System.Diagnostics.Metrics;
using System.Text;

namespace EmotionApi.Telemetry;

/// <summary>What dataset uploads record: their size, the images kept and skipped, and uploads refused by reason.</summary>
public sealed class UploadTelemetry
{
    /// <summary>Attribute: <c>stored</c> or <c>skipped</c> (a file left out of an accepted upload).</summary>
    public const string ImageOutcome = "emotionapi.dataset.image.outcome";

    private static readonly double[] ByteBuckets = [1e4, 1e5, 1e6, 1e7, 5e7, 1e8, 2.5e8, 5e8, 1e9];

    private readonly Histogram<long> size;
    private readonly Counter<long> uploads;
    private readonly Counter<long> images;

    public UploadTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(ServiceDiagnostics.Name, ServiceDiagnostics.Version);
        size = meter.CreateHistogram("emotionapi.dataset.upload.size", "By",
            "Bytes of each dataset archive received (refused ones too, as far as they were read).", ByteBuckets.Select(bytes => (long)bytes).ToArray());
        uploads = meter.CreateCounter<long>("emotionapi.dataset.uploads", "{upload}",
            "Dataset uploads; error.type names why one was refused (absent when it was stored).");
        images = meter.CreateCounter<long>("emotionapi.dataset.upload.images", "{image}",
            $"Files of accepted uploads, by {ImageOutcome}.");
    }

    public void RecordStored(long bytes, int storedImages, int skippedFiles)
    {
        size.Record(bytes);
        uploads.Add(1);
        if (storedImages > 0) images.Add(storedImages, new KeyValuePair<string, object?>(ImageOutcome, "stored"));
        if (skippedFiles > 0) images.Add(skippedFiles, new KeyValuePair<string, object?>(ImageOutcome, "skipped"));
    }

    /// <summary>An upload refused: <paramref name="reason"/> is the refusal's title ("Too many archive entries"), recorded as snake_case.</summary>
    public void RecordRefused(long bytes, string reason)
    {
        if (bytes > 0) size.Record(bytes);
        uploads.Add(1, new KeyValuePair<string, object?>("error.type", ErrorType(reason)));
    }

    /// <summary>"Compression ratio too high" as <c>compression_ratio_too_high</c>: a stable, low-cardinality attribute value.</summary>
    public static string ErrorType(string title)
    {
        var text = new StringBuilder(title.Length);
        foreach (var c in title.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c)) text.Append(char.ToLowerInvariant(c));
            else if (text.Length > 0 && text[^1] != '_') text.Append('_');
        }
        return text.ToString().TrimEnd('_');
    }
}
