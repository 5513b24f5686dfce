namespace EmotionApi.Shared;

/// <summary>
/// The request is sound but the state of things forbids it now (a job already finished, a dataset still in use,
/// results not made yet); it may succeed later.
/// </summary>
public sealed class ConflictException(string title, string detail) : ServiceException(title, detail);
