namespace EmotionApi.Shared;

/// <summary>
/// Input refused as a whole for what it is, not for a field ("Not a zip archive", "Unsafe archive entry",
/// "Malformed multipart body"). Its kinds <see cref="InputTooLargeException"/> and
/// <see cref="UnsupportedMediaTypeException"/> say more precisely why.
/// </summary>
public class InputRefusedException(string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : ServiceException(title, detail, errors);
