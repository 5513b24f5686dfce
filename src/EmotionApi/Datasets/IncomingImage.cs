using EmotionApi.Learning.Data;

namespace EmotionApi.Datasets;

/// <summary>An image file about to be checked and stored: from an archive or from the sample generator.</summary>
/// <param name="Sequence">Its order in the source, from 1: gives the stored file its number.</param>
/// <param name="OriginalName">Its name in the archive, or the generator's file name.</param>
/// <param name="Label">The class of the folder it came from.</param>
/// <param name="Content">The encoded bytes, unchecked.</param>
internal sealed record IncomingImage(int Sequence, string OriginalName, EmotionClass Label, byte[] Content);
