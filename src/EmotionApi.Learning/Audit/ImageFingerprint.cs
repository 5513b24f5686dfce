using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Audit;

/// <summary>What ingest learns from one image in one decode: its header and its <see cref="PerceptualHash"/>.</summary>
public sealed record ImageFingerprint(ImageHeader Header, ulong Hash);
