namespace EmotionApi.Learning.Images;

/// <summary>An input that is not a usable image; <see cref="Exception.Message"/> says why, for a client.</summary>
public sealed class ImageRejectedException(string reason) : Exception(reason);
