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

    // Added by issue 9. Each default is what runs saved before it did, so their settings mean what they meant.

    /// <summary>
    /// With a validation part: keep the epoch of the lowest validation loss (true) or the last epoch (false: a fixed
    /// schedule run to its end, the validation part only reported). Without one the last epoch is kept either way.
    /// </summary>
    public bool KeepBestEpoch { get; init; } = true;
    /// <summary>
    /// Decay per optimizer step of an exponential moving average of the weights (and batch-norm statistics) that
    /// becomes the model: 0 = none; 0.99 averages roughly the last 100 steps.
    /// </summary>
    public double EmaDecay { get; init; }
    /// <summary>Score each image and its mirror image and average the two logits (evaluation and prediction alike).</summary>
    public bool TestTimeFlip { get; init; }
    /// <summary>Binary cross-entropy against targets moved this far towards 0.5 (0.1: 0.95 and 0.05); 0 = plain targets.</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Mixup's Beta(alpha, alpha): each training batch blended with a shuffled copy of itself, images and targets alike; 0 = none.</summary>
    public double Mixup { get; init; }
    /// <summary>A pretrained network's first epochs train its head only, the backbone frozen (no gradient, batch norm in eval mode).</summary>
    public int WarmupEpochs { get; init; }
    /// <summary>After the warm-up a pretrained backbone learns at this share of <see cref="LearningRate"/> (the head at the full rate).</summary>
    public double BackboneLearningRateFactor { get; init; } = 1;
    /// <summary>
    /// A pretrained backbone is never trained: its features are computed once for each image and its mirror image,
    /// and only the head learns from them (seconds instead of minutes; augmentation is the mirror image only).
    /// </summary>
    public bool FreezeBackbone { get; init; }
    /// <summary>While a pretrained backbone trains, its batch normalisation keeps the pretrained running statistics (eval mode).</summary>
    public bool FreezeBatchNorm { get; init; }
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
