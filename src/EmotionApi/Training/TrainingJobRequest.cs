namespace EmotionApi.Training;

/// <summary>
/// A training job to queue: the dataset, a preset, and any overrides of the preset's settings.
/// Omitted fields keep the preset's value.
/// </summary>
public sealed record TrainingJobRequest
{
    /// <summary>The dataset to train on (an id from POST /api/datasets or POST /api/datasets/sample).</summary>
    /// <example>4c1f0a9e27b3</example>
    public string? DatasetId { get; init; }

    /// <summary>
    /// "default" (when omitted: ResNet-18 from ImageNet fine-tuned at 144x144, a minute or two), "pretrained" (the same
    /// at 160x160: several minutes), "pretrained-frozen" (ResNet-18's ImageNet features, a new head only: under a
    /// minute), "compact" (a small network from scratch), "tiny" (seconds, for trying the service) or "seed-baseline"
    /// (the original article's exact settings).
    /// </summary>
    /// <example>tiny</example>
    public string? Preset { get; init; }

    /// <summary>Passes over the training images (early stopping may end the run sooner).</summary>
    /// <example>8</example>
    public int? Epochs { get; init; }

    /// <summary>Images per training step.</summary>
    /// <example>32</example>
    public int? BatchSize { get; init; }

    /// <summary>Adam's learning rate.</summary>
    /// <example>0.001</example>
    public double? LearningRate { get; init; }

    /// <summary>AdamW weight decay (0 = plain Adam, as the article's).</summary>
    /// <example>0.0001</example>
    public double? WeightDecay { get; init; }

    /// <summary>Height in pixels images are resized to (the article's: 400).</summary>
    /// <example>64</example>
    public int? ImageHeight { get; init; }

    /// <summary>Width in pixels images are resized to (the article's: 500).</summary>
    /// <example>64</example>
    public int? ImageWidth { get; init; }

    /// <summary>Share of each class held out as the test set (the article's: 0.2). Each class must keep at least one image on both sides.</summary>
    /// <example>0.2</example>
    public double? TestFraction { get; init; }

    /// <summary>Share of the training part carved out for validation: early stopping and the best epoch (0 = none).</summary>
    /// <example>0.15</example>
    public double? ValidationFraction { get; init; }

    /// <summary>Random seed of the split, shuffles, augmentation and weight initialisation (the article's: 21).</summary>
    /// <example>21</example>
    public int? Seed { get; init; }

    /// <summary>Weight the loss by inverse class frequency.</summary>
    /// <example>true</example>
    public bool? ClassWeighting { get; init; }

    /// <summary>Epochs without a better validation loss before stopping (0 = never stop early).</summary>
    /// <example>3</example>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Cosine learning-rate decay over the epochs (false = constant).</summary>
    /// <example>true</example>
    public bool? CosineSchedule { get; init; }

    /// <summary>With a validation part: keep the epoch of the lowest validation loss (true) or the last epoch (false: a fixed schedule, the validation part only reported).</summary>
    /// <example>false</example>
    public bool? KeepBestEpoch { get; init; }

    /// <summary>Decay per step of a moving average of the weights that becomes the model (0 = none; 0.99 averages about the last 100 steps). Below 1.</summary>
    /// <example>0.99</example>
    public double? EmaDecay { get; init; }

    /// <summary>Score each image and its mirror image and average the two, in the evaluation and in every prediction of the model.</summary>
    /// <example>true</example>
    public bool? TestTimeFlip { get; init; }

    /// <summary>Train against targets moved this far towards 0.5 (0.1: 0.95 and 0.05); 0 to below 0.5.</summary>
    /// <example>0.1</example>
    public double? LabelSmoothing { get; init; }

    /// <summary>Mixup: blend each training batch with a shuffled copy of itself by a share drawn from Beta(alpha, alpha); this is alpha, 0 (none) to 10.</summary>
    /// <example>0.2</example>
    public double? Mixup { get; init; }

    /// <summary>Pretrained networks only: the first epochs train the new head alone, the pretrained backbone frozen. Omitted: the preset's, at most epochs.</summary>
    /// <example>2</example>
    public int? WarmupEpochs { get; init; }

    /// <summary>Pretrained networks only: after the warm-up the backbone learns at this share of learningRate (above 0, at most 1).</summary>
    /// <example>0.1</example>
    public double? BackboneLearningRateFactor { get; init; }

    /// <summary>
    /// Pretrained networks only: never train the backbone; its features are computed once for each image and its mirror
    /// image and only the head learns (augmentation can then only be horizontalFlip).
    /// </summary>
    /// <example>true</example>
    public bool? FreezeBackbone { get; init; }

    /// <summary>Pretrained networks only: while the backbone trains, its batch normalisation keeps the pretrained running statistics.</summary>
    /// <example>true</example>
    public bool? FreezeBatchNorm { get; init; }
    /// <summary>
    /// Keep near-duplicate images (perceptual hashes within Datasets:Audit:NearDistance) on one side of the test and
    /// validation splits, so no test image has a copy in training. On in "default" and "tiny"; off in "seed-baseline",
    /// which keeps the article's split exactly.
    /// </summary>
    /// <example>true</example>
    public bool? GroupDuplicates { get; init; }

    /// <summary>Random transforms of the training images (Keras ImageDataGenerator semantics). Omitted fields keep the preset's values; all zero / false turns augmentation off.</summary>
    public AugmentationRequest? Augmentation { get; init; }
}
