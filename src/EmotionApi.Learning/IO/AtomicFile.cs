using System.Text.Json;

namespace EmotionApi.Learning.IO;

/// <summary>
/// Writes files so that a reader (this process, another node on a shared volume, or the next start)
/// sees either the old content or the new, never a part: write a sibling temporary file, flush it to
/// disk, rename it over the target (rename is atomic on one file system).
/// </summary>
public static partial class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>
    /// A fresh sibling name to write <paramref name="path"/> under before renaming it into place,
    /// <c>.{name}.{32 hex digits}.tmp</c>: hidden, never the name of a finished file, and recognised by
    /// <see cref="DeleteAbandoned"/> when a writer dies before its rename.
    /// </summary>
    public static string TemporaryPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>
    /// Deletes the temporary files of <see cref="TemporaryPathFor"/>'s naming in <paramref name="directory"/> (not below
    /// it) last written before <paramref name="cutoffUtc"/>: a writer that died (a crash, a kill) left them, since a live
    /// one writes and renames within moments. Returns how many went; a missing folder or a file already gone counts none.
    /// </summary>
    public static int DeleteAbandoned(string directory, DateTime cutoffUtc)
    {
        if (!Directory.Exists(directory)) return 0;
        var deleted = 0;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles(".*.tmp"))
            {
                if (!TemporaryName().IsMatch(file.Name) || file.LastWriteTimeUtc >= cutoffUtc) continue;
                try
                {
                    file.Delete();
                    deleted++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Gone meanwhile, or not ours to delete: the next sweep sees it again.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Removed while listing (a job or dataset deleted meanwhile).
        }
        return deleted;
    }

    public static void WriteJson<T>(string path, T value, JsonSerializerOptions options) =>
        WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(value, options));

    /// <summary>Null when the file does not exist.</summary>
    public static T? ReadJson<T>(string path, JsonSerializerOptions options) where T : class
    {
        if (!File.Exists(path)) return null;
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<T>(stream, options);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\A\..+\.[0-9a-f]{32}\.tmp\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();
}
