using EmotionApi.Learning.IO;

namespace EmotionApi.Shared;

/// <summary>
/// The data folder's disk has no room for what the request would store (an upload that would leave less than the
/// configured free space, a write that found the disk full): not the caller's input, and it may succeed once space is freed.
/// </summary>
/// <param name="title">What could not be stored, in a few words ("Not enough disk space").</param>
/// <param name="detail">How much is free, how much was needed, and the setting that decides.</param>
/// <param name="cause">The I/O error behind it, when a write failed.</param>
public sealed class InsufficientStorageException(string title, string detail, Exception? cause = null)
    : ServiceException(title, detail, innerException: cause)
{
    /// <summary>A write that found the disk full: nothing of <paramref name="what"/> was kept (the writer removed its part).</summary>
    /// <param name="what">What was being stored, as in "no room left for {what}" ("the uploaded archive").</param>
    /// <param name="cause">The write that failed.</param>
    public static InsufficientStorageException NoRoomFor(string what, Exception cause) => new(
        "Not enough disk space",
        $"The data folder's disk has no room left for {what}; nothing of it was kept. Free some space (delete datasets or " +
        "models, or grow the volume) and retry.",
        cause);

    /// <summary>Runs a write; a full disk (<see cref="DiskSpace.IsExhausted"/>) becomes <see cref="NoRoomFor"/> <paramref name="what"/>.</summary>
    /// <param name="what">What the write stores, as in "no room left for {what}".</param>
    /// <param name="write">The write; it removes its own partial output.</param>
    public static T OnFullDisk<T>(string what, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (DiskSpace.IsExhausted(e))
        {
            throw NoRoomFor(what, e);
        }
    }

    /// <inheritdoc cref="OnFullDisk{T}"/>
    public static void OnFullDisk(string what, Action write) => OnFullDisk(what, () =>
    {
        write();
        return 0;
    });
}
