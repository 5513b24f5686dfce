namespace EmotionApi.Shared;

/// <summary>
/// The data folder had no room for what the request or run was storing: nothing of it was kept, and an operator must
/// free space (or grow the volume), after which the same request succeeds. Neither the caller's input nor a service
/// defect, so it is answered as such.
/// </summary>
/// <param name="what">What was being stored, as in "no room left for {what}" ("the uploaded archive").</param>
/// <param name="cause">The write that failed.</param>
public sealed class StorageFullException(string what, Exception cause) : ServiceException(
    "Insufficient storage",
    $"The data folder has no room left for {what}; nothing of it was kept. Free space on the data volume (or grow it), then try again.",
    innerException: cause);
