namespace EmotionApi.Learning.IO;

/// <summary>A write found no room on its volume, or would not find it (checked before a large write).</summary>
public sealed class DiskFullException(string message, Exception? innerException = null) : IOException(message, innerException);
