namespace EmotionApi.Shared;

/// <summary>Input over a size limit ("Upload too large", "Image too large"): the detail names the limit and its setting.</summary>
public sealed class InputTooLargeException(string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : InputRefusedException(title, detail, errors);
