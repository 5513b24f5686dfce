namespace EmotionApi.Shared;

/// <summary>
/// Something the service needs for the request is broken on its side (a stored model that no longer loads): not
/// the caller's fault, so it is logged as an error, yet the answer still says what is unavailable.
/// </summary>
/// <param name="title">What is unavailable, in a few words.</param>
/// <param name="detail">What is unavailable and why.</param>
/// <param name="cause">What broke, for the log.</param>
public sealed class UnavailableException(string title, string detail, Exception? cause = null)
    : ServiceException(title, detail, innerException: cause);
