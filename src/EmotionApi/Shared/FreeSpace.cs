using Microsoft.Extensions.Options;

namespace EmotionApi.Shared;

/// <summary>
/// The free space of the data folder's disk, kept above <see cref="StorageOptions.MinFreeMegabytes"/>: a feature asks
/// before it stores something large and is refused with <see cref="InsufficientStorageException"/> instead of filling the disk.
/// </summary>
public sealed class FreeSpace(DataFolder folder, IOptions<StorageOptions> options)
{
    /// <summary>Bytes free for this process on the data folder's disk.</summary>
    public long AvailableBytes => new DriveInfo(folder.Root).AvailableFreeSpace;

    /// <summary>Throws unless <paramref name="bytes"/> more would leave the configured free space.</summary>
    /// <param name="bytes">What is about to be written (an estimate from above).</param>
    /// <param name="what">What is to be stored, for the message ("the upload").</param>
    /// <exception cref="InsufficientStorageException">Storing it would leave less than the minimum free space.</exception>
    public void EnsureRoomFor(long bytes, string what)
    {
        var minimum = options.Value.MinFreeBytes;
        if (minimum == 0) return;
        var available = AvailableBytes;
        if (available - Math.Max(bytes, 0) >= minimum) return;
        throw new InsufficientStorageException("Not enough disk space",
            $"The data folder's disk has {Megabytes(available)} MB free; storing {what} (up to {Megabytes(bytes)} MB) would leave less than " +
            $"the {options.Value.MinFreeMegabytes} MB it keeps free (Storage:MinFreeMegabytes). Free some space (delete datasets or models) and retry.");
    }

    private static long Megabytes(long bytes) => (Math.Max(bytes, 0) + 1024 * 1024 - 1) / (1024 * 1024);
}
