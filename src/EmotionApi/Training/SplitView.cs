using EmotionApi.Learning.Data;

namespace EmotionApi.Training;

/// <summary>How many images a run trained on, validated on and tested on.</summary>
/// <param name="Train">Images the network learned from.</param>
/// <param name="Validation">Images that chose the kept epoch and stopped the run early (0 when the preset has no validation part).</param>
/// <param name="Test">Held-out images the evaluation is made on.</param>
/// <param name="Classes">The same per class; null when the dataset has been deleted since (the split names images, not classes).</param>
public sealed record SplitView(int Train, int Validation, int Test, IReadOnlyList<ClassSplitView>? Classes);

/// <summary>One class's images in each part of the split.</summary>
public sealed record ClassSplitView(EmotionClass Class, int Train, int Validation, int Test);
