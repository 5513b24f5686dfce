namespace EmotionApi.Learning.Data;

/// <summary>One generated image, PNG-encoded, with its class and a file name.</summary>
public sealed record GeneratedImage(string FileName, EmotionClass Label, byte[] Png);
