using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Training;

/// <summary>Prepared images with their labels (0 = Negative, 1 = Positive), index-aligned.</summary>
internal sealed record LabeledImages(IPreparedImageSource Images, IReadOnlyList<int> Labels)
{
    public int Count => Images.Count;
}
