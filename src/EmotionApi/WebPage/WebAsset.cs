namespace EmotionApi.WebPage;

/// <summary>One file of the page: its bytes, the same gzipped, its media type and entity tag.</summary>
public sealed record WebAsset(byte[] Content, byte[] Gzipped, string MediaType, string EntityTag);
