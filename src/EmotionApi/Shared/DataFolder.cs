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
    /// Deletes what in <see cref="Temporary"/> nothing has written to since <paramref name="cutoffUtc"/> (a folder counts
    /// by its newest file): work of an operation that died with its process. A live operation keeps writing (an upload
    /// its zip, a registration its files), so nodes sharing the folder keep theirs. Returns how many entries went.
    /// </summary>
    public int DeleteStaleTemporary(DateTime cutoffUtc, ILogger? logger = null)
    {
        var deleted = 0;
        foreach (var entry in new DirectoryInfo(Temporary).EnumerateFileSystemInfos())
        {
            if (NewestWriteUtc(entry) >= cutoffUtc) continue;
            try
            {
                if (entry is DirectoryInfo directory) directory.Delete(recursive: true);
                else entry.Delete();
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger?.LogWarning(e, "Could not delete {Path}", entry.FullName);
            }
        }
        return deleted;
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

    /// <summary>The newest write time of a file, or of a folder and everything in it; the future while it changes under us.</summary>
    private static DateTime NewestWriteUtc(FileSystemInfo entry)
    {
        var newest = entry.LastWriteTimeUtc;
        if (entry is not DirectoryInfo directory) return newest;
        try
        {
            foreach (var inside in directory.EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
                if (inside.LastWriteTimeUtc > newest) newest = inside.LastWriteTimeUtc;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DateTime.MaxValue; // in use: files come and go
        }
        return newest;
    }
}
