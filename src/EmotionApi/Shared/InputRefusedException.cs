namespace EmotionApi.Shared;

/// <summary>
/// Input refused as a whole for what it is, not for a field ("Not a zip archive", "Unsafe archive entry",
/// "Malformed multipart body"). Its kinds <see cref="InputTooLargeException"/> and
/// <see cref="UnsupportedMediaTypeException"/> say more precisely why.
/// </summary>
public class InputRefusedException(string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : ServiceException(title, detail, errors)
{
    /// <summary>A multipart/form-data body that cannot be read, whichever endpoint reads it.</summary>
    /// <param name="why">The reader's complaint; cut to 200 characters, as a reader may quote the client's megabytes of garbage.</param>
    public static InputRefusedException MalformedMultipart(string why) =>
        new("Malformed multipart body", $"The multipart/form-data body could not be read: {(why.Length <= 200 ? why : why[..197] + "...")}");

    /// <summary>
    /// A multipart body whose whole stream arrived yet stops inside a part (MultipartReader's "Unexpected end of
    /// Stream"), found by the fuzzing run (docs/fuzzing.md).
    /// </summary>
    public static InputRefusedException UnclosedMultipart() => MalformedMultipart(UnclosedMultipartReason);

    /// <summary>What <see cref="UnclosedMultipart"/> says went wrong, for readers that report it their own way first.</summary>
    public const string UnclosedMultipartReason = "the body ends before its closing boundary.";
}
