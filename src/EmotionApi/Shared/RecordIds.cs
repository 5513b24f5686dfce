using System.Text.RegularExpressions;

namespace EmotionApi.Shared;

/// <summary>
/// The ids of the service's records. They come back in URLs, so only these shapes ever become a path; any other
/// id is simply unknown.
/// </summary>
public static partial class RecordIds
{
    /// <summary>A new dataset id: 32 lower-case hex digits (<c>Guid.ToString("N")</c>).</summary>
    public static string NewDatasetId() => Guid.NewGuid().ToString("N");

    public static bool IsDatasetId(string? id) => id is not null && DatasetId().IsMatch(id);

    /// <summary>A new job id: 12 hex digits. The model a job produces gets the same id.</summary>
    public static string NewJobId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>A job's (and so a model's) id: lower-case letters, digits and dashes, at most 64.</summary>
    public static bool IsJobId(string? id) => id is not null && JobId().IsMatch(id);

    [GeneratedRegex(@"\A[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetId();

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex JobId();
}
