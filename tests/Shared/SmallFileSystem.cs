using System.Diagnostics;

namespace EmotionApi.Tests.Shared;

/// <summary>
/// A tmpfs of a few megabytes mounted for a test, to run out of disk space for real. Mounting needs root
/// (CAP_SYS_ADMIN): elsewhere the tests that need it skip and say why, and under CI=true they fail instead, so a
/// CI that cannot mount never passes them as green. Compiled into both test assemblies (linked from tests/Shared).
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path, string? problem)
    {
        Path = path;
        Problem = problem;
    }

    public string Path { get; }

    /// <summary>Why nothing is mounted; null when it is.</summary>
    public string? Problem { get; }

    /// <summary>Bytes free for this process.</summary>
    public long Available => new DriveInfo(Path).AvailableFreeSpace;

    public static SmallFileSystem Mount(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("emotionapi-small-fs-").FullName;
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "emotionapi-test", path);
        return new SmallFileSystem(path, exitCode == 0 ? null
            : $"mounting a {megabytes} MB tmpfs at {path} failed ({output.Trim()}): it needs root (CAP_SYS_ADMIN)");
    }

    /// <summary>Returns when mounted; otherwise skips the calling test, or fails it under CI=true.</summary>
    public void Require()
    {
        if (Problem is null) return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"CI=true: the full-disk tests must run, but {Problem}");
        Assert.Skip(Problem);
    }

    /// <summary>
    /// Writes a filler file until only <paramref name="leave"/> bytes stay free (0: full); disposing it deletes it and
    /// gives the room back (more than once is fine).
    /// </summary>
    public IDisposable Fill(long leave)
    {
        var filler = System.IO.Path.Combine(Path, $"filler-{Guid.NewGuid():N}");
        var chunk = new byte[64 * 1024];
        using (var stream = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            try
            {
                for (var left = Available - leave; left > 0; left -= chunk.Length)
                    stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
            }
            catch (IOException) when (leave == 0)
            {
                // Full, as asked.
            }
        }
        return new Filler(filler);
    }

    private sealed class Filler(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }

    public void Dispose()
    {
        if (Problem is null) Run("umount", "--lazy", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int ExitCode, string Output) Run(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message); // no such command on this system
        }
    }
}
