using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Augmentation;

namespace EmotionApi.Learning.Training;

/// <summary>Everything that decides a training run. Presets fill it; every value can be overridden.</summary>
public sealed record TrainingSettings
{
    public required string Preset { get; init; }
    /// <summary>A name from <see cref="Networks.NetworkCatalog"/>.</summary>
    public required string Network { get; init; }
    public int ImageHeight { get; init; }
    public int ImageWidth { get; init; }
    public int BatchSize { get; init; }
    public int Epochs { get; init; }
    public double LearningRate { get; init; }
    public double WeightDecay { get; init; }
    /// <summary>Share of each class held out as the test set (the article: 0.2).</summary>
    public double TestFraction { get; init; } = 0.2;
    /// <summary>Seed of the split, the shuffles, augmentation and weight initialisation (the article: 21).</summary>
    public int Seed { get; init; } = 21;
    /// <summary>
    /// Share of the training part carved out (stratified) for validation: early stopping and the choice
    /// of the best epoch, so the test set never picks the model. 0 = none (the article validated on its test set).
    /// </summary>
    public double ValidationFraction { get; init; }
    /// <summary>Epochs without a better validation loss before stopping; 0 = never stop early.</summary>
    public int EarlyStoppingPatience { get; init; }
    /// <summary>Weight the loss by inverse class frequency.</summary>
    public bool ClassWeighting { get; init; }
    /// <summary>Cosine learning-rate decay over the epochs (false = constant, as the article's Adam).</summary>
    public bool CosineSchedule { get; init; }
    public AugmentationSettings Augmentation { get; init; } = AugmentationSettings.None;
    /// <summary>Probability above which an image is called Positive.</summary>
    public double Threshold { get; init; } = 0.5;
    /// <summary>
    /// Keep every group of near-duplicate images (perceptual hashes within <see cref="NearDuplicateDistance"/>) on one side
    /// of the test split and of the validation split (<see cref="Data.GroupedStratifiedSplit"/>), so no test image has a copy
    /// in training. False splits image by image: the article's split exactly.
    /// </summary>
    public bool GroupDuplicates { get; init; }
    /// <summary>
    /// The hash distance at which two images count as near duplicates: for <see cref="GroupDuplicates"/> and for the
    /// evaluation's count of test images with a near duplicate in training.
    /// </summary>
    public int NearDuplicateDistance { get; init; } = DuplicateFinder.DefaultNearDistance;
}
