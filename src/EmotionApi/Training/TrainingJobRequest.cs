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

    /// <summary>"default" (when omitted), "tiny" (seconds, for trying the service) or "seed-baseline" (the original article's exact settings).</summary>
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
