namespace EmotionApi.Shared;

/// <summary>
/// The layout of the data folder. Everything the service must not lose lives here:
/// <c>datasets/{id}/</c>, <c>jobs/{id}/</c>, <c>models/{id}/</c>, and <c>tmp/</c> for work in progress
/// (on the same file system, so a finished piece is moved into view with one rename).
/// </summary>
public sealed class DataFolder
{
    public DataFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Datasets = Path.Combine(Root, "datasets");
        Jobs = Path.Combine(Root, "jobs");
        Models = Path.Combine(Root, "models");
        Temporary = Path.Combine(Root, "tmp");
        foreach (var folder in new[] { Root, Datasets, Jobs, Models, Temporary })
            Directory.CreateDirectory(folder);
    }

    public string Root { get; }
    public string Datasets { get; }
    public string Jobs { get; }
    public string Models { get; }
    public string Temporary { get; }

    /// <summary>A fresh, empty folder under <see cref="Temporary"/> to build something in before moving it into view.</summary>
    public string NewTemporaryFolder(string purpose)
    {
        var path = Path.Combine(Temporary, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Deletes a folder that is out of view already (under <see cref="Temporary"/>, or a leftover checkpoint):
    /// a failure loses nothing, so it is logged, never thrown; what stays under tmp/ goes at the next start-up cleanup.
    /// </summary>
    public static void DeleteQuietly(string directory, ILogger? logger = null)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger?.LogWarning(e, "Could not delete {Directory}", directory);
        }
    }
}
