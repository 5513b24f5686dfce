namespace EmotionApi.Shared;

/// <summary>Input in a format the operation does not read (a body that is not JSON where JSON is expected).</summary>
public sealed class UnsupportedMediaTypeException(string title, string detail) : InputRefusedException(title, detail);
