namespace EmotionApi.Learning.IO;

/// <summary>Telling a full disk from other I/O failures, and checking for room before a large write.</summary>
public static class DiskSpace
{
    // errno values .NET puts in IOException.HResult on Unix: ENOSPC is 28 on Linux and macOS; EDQUOT 122 on Linux, 69 on macOS.
    private const int NoSpace = 28, LinuxQuota = 122, MacQuota = 69;
    // Windows: ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL as HResults.
    private const int WindowsDiskFull = unchecked((int)0x80070070), WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, is a write that ran out of room: no space or over a
    /// quota on the volume, or a <see cref="DiskFullException"/>.
    /// </summary>
    public static bool IsExhausted(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DiskFullException) return true;
            if (e is IOException io && IsNoSpace(io.HResult)) return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsExhausted)) return true;
        }
        return false;
    }

    /// <summary>
    /// Throws <see cref="DiskFullException"/> when the volume holding <paramref name="directory"/> has fewer than
    /// <paramref name="bytes"/> free for this process beyond <paramref name="keepFree"/>: a large write then fails before
    /// it starts instead of part-way, and leaves the room its owner keeps for other writes (checkpoints, models).
    /// </summary>
    public static void EnsureAvailable(string directory, long bytes, string what, long keepFree = 0)
    {
        var free = Available(directory);
        if (free is { } available && available - Math.Max(keepFree, 0) < bytes)
            throw new DiskFullException(keepFree > 0
                ? $"{what} need {Megabytes(bytes)} beyond the {Megabytes(keepFree)} kept free, and the volume of '{directory}' has {Megabytes(available)} free."
                : $"{what} need {Megabytes(bytes)} and the volume of '{directory}' has {Megabytes(available)} free.");
    }

    /// <summary>Free bytes for this process on the volume holding <paramref name="directory"/>; null where the system cannot say.</summary>
    public static long? Available(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsNoSpace(int hresult) => OperatingSystem.IsWindows()
        ? hresult is WindowsDiskFull or WindowsHandleDiskFull
        : hresult is NoSpace || (OperatingSystem.IsMacOS() ? hresult == MacQuota : hresult == LinuxQuota);

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):N1} MB";
}
