namespace EmotionApi.Shared;

/// <summary>
/// A failure the service explains to whoever asked: what went wrong (<see cref="Title"/>, in a few words), why and
/// what to do (<see cref="Exception.Message"/>), and which fields were wrong, when fields were. Services throw its
/// kinds without knowing any protocol; the web layer's exception handler answers each kind with its status.
/// </summary>
public abstract class ServiceException(
    string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null, Exception? innerException = null)
    : Exception(detail, innerException)
{
    public string Title { get; } = title;

    /// <summary>Field name (camelCase, dotted for nested fields) to its problems; null when no field is to blame.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
}
