namespace EmotionApi.Learning.Training;

/// <summary>Training inputs with their labels (0 = Negative, 1 = Positive), index-aligned.</summary>
internal sealed record LabeledInputs(ITrainingInputs Inputs, IReadOnlyList<int> Labels)
{
    public int Count => Labels.Count;
}
