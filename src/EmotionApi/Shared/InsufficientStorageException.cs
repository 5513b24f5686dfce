namespace EmotionApi.Shared;

/// <summary>
/// The data folder's disk has no room for what the request would store (an upload that would leave less than the
/// configured free space, a write that found the disk full): not the caller's input, and it may succeed once space is freed.
/// </summary>
/// <param name="title">What could not be stored, in a few words ("Not enough disk space").</param>
/// <param name="detail">How much is free, how much was needed, and the setting that decides.</param>
/// <param name="cause">The I/O error behind it, when a write failed.</param>
public sealed class InsufficientStorageException(string title, string detail, Exception? cause = null)
    : ServiceException(title, detail, innerException: cause);
