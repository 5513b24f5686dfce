namespace EmotionApi.Shared;

/// <summary>
/// The caller holds as much of something as it may (unfinished training jobs per API key): the request is sound and
/// succeeds once the caller holds less. The detail names the limit and its setting.
/// </summary>
public sealed class QuotaExceededException(string title, string detail) : ServiceException(title, detail);
