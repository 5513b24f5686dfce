namespace EmotionApi.Datasets;

/// <summary>Rules for a dataset's display name (free text, never used on disk).</summary>
internal static class DatasetNames
{
    public const int MaxLength = 200;

    /// <summary>Why a client-given name is unacceptable, or null when it is fine (or absent).</summary>
    public static string? Problem(string? name)
    {
        if (name is null) return null;
        if (name.Length > MaxLength) return $"At most {MaxLength} characters; got {name.Length}.";
        if (name.Any(char.IsControl)) return "Must not contain control characters.";
        return null;
    }

    /// <summary>The trimmed name, or null when blank.</summary>
    public static string? Clean(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    /// <summary>An uploaded file's name without extension (control characters dropped, length capped), or "Uploaded dataset".</summary>
    public static string FromFileName(string? fileName)
    {
        var stem = Clean(Path.GetFileNameWithoutExtension(fileName?.Replace('\\', '/')));
        if (stem is null) return "Uploaded dataset";
        stem = new string(stem.Where(c => !char.IsControl(c)).ToArray());
        return stem.Length <= MaxLength ? stem : stem[..MaxLength];
    }
}
