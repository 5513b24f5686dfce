namespace EmotionApi.Learning.Data;

/// <summary>One styled face, encoded (PNG or JPEG, as <see cref="FileName"/>'s extension says).</summary>
/// <param name="Label">The label the dataset gives it: <paramref name="Drawn"/>, or the other class when the options flip labels.</param>
/// <param name="Drawn">What the face shows: a smile (Positive) or a frown (Negative).</param>
public sealed record StyledFace(string FileName, FaceStyle Style, EmotionClass Label, EmotionClass Drawn, byte[] Bytes)
{
    public bool LabelFlipped => Label != Drawn;
}
