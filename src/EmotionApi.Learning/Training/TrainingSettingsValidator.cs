using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Networks;

namespace EmotionApi.Learning.Training;

/// <summary>
/// Checks every field of <see cref="TrainingSettings"/> and lists every problem at once, keyed by the field's
/// camelCase name as the web API spells it ("batchSize", "augmentation.zoom").
/// </summary>
public static class TrainingSettingsValidator
{
    public const int MaxEpochs = 1000;
    public const int MaxBatchSize = 512;
    public const double MaxMixup = 10;

    /// <summary>Field name to problems; empty when the settings are valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(settings.Preset)) Fail("preset", "A preset name is required.");

        if (string.IsNullOrWhiteSpace(settings.Network) || !NetworkCatalog.Exists(settings.Network))
        {
            Fail("network", $"Unknown network '{settings.Network}'. Networks: {string.Join(", ", NetworkCatalog.Names)}.");
            if (settings.ImageHeight < 1) Fail("imageHeight", "Must be a positive number of pixels.");
            if (settings.ImageWidth < 1) Fail("imageWidth", "Must be a positive number of pixels.");
        }
        else
        {
            var (min, max) = NetworkCatalog.SupportedSide(settings.Network);
            var range = $"Network '{settings.Network}' takes sides from {min} to {max} pixels.";
            if (settings.ImageHeight < min || settings.ImageHeight > max) Fail("imageHeight", range);
            if (settings.ImageWidth < min || settings.ImageWidth > max) Fail("imageWidth", range);
        }

        if (settings.BatchSize < 1 || settings.BatchSize > MaxBatchSize) Fail("batchSize", $"Must be from 1 to {MaxBatchSize}.");
        if (settings.Epochs < 1 || settings.Epochs > MaxEpochs) Fail("epochs", $"Must be from 1 to {MaxEpochs}.");
        // Negated comparisons so that NaN fails too.
        if (!(settings.LearningRate > 0 && settings.LearningRate <= 1)) Fail("learningRate", "Must be above 0 and at most 1.");
        if (!(settings.WeightDecay >= 0 && settings.WeightDecay <= 1)) Fail("weightDecay", "Must be from 0 to 1.");
        if (!(settings.TestFraction > 0 && settings.TestFraction <= 0.9)) Fail("testFraction", "Must be above 0 and at most 0.9.");
        if (!(settings.ValidationFraction >= 0 && settings.ValidationFraction <= 0.5)) Fail("validationFraction", "Must be from 0 to 0.5.");
        if (settings.EarlyStoppingPatience < 0)
            Fail("earlyStoppingPatience", "Must be 0 (never stop early) or a positive number of epochs.");
        else if (settings.EarlyStoppingPatience > 0 && settings.ValidationFraction == 0)
            // Stopping on the test set would let the test set choose the model.
            Fail("earlyStoppingPatience", "Early stopping needs a validation part: set validationFraction above 0.");
        if (!(settings.Threshold > 0 && settings.Threshold < 1)) Fail("threshold", "Must be above 0 and below 1.");
        if (settings.NearDuplicateDistance is < 0 or > PerceptualHash.Bits)
            Fail("nearDuplicateDistance", $"Must be a hash distance from 0 to {PerceptualHash.Bits} bits.");

        if (!(settings.EmaDecay >= 0 && settings.EmaDecay < 1)) Fail("emaDecay", "Must be from 0 (no averaging) to below 1.");
        if (!(settings.LabelSmoothing >= 0 && settings.LabelSmoothing < 0.5)) Fail("labelSmoothing", "Must be from 0 (plain targets) to below 0.5.");
        if (!(settings.Mixup >= 0 && settings.Mixup <= MaxMixup)) Fail("mixup", $"Must be from 0 (none) to {MaxMixup} (the alpha of its Beta distribution).");
        ValidateFineTuning(settings, Fail);

        if (settings.Augmentation is not { } augmentation)
        {
            Fail("augmentation", "Augmentation settings are required (all zero for none).");
        }
        else
        {
            if (!(augmentation.RotationDegrees >= 0 && augmentation.RotationDegrees <= 180)) Fail("augmentation.rotationDegrees", "Must be from 0 to 180 degrees.");
            if (!(augmentation.WidthShift >= 0 && augmentation.WidthShift <= 1)) Fail("augmentation.widthShift", "Must be a fraction of the width from 0 to 1.");
            if (!(augmentation.HeightShift >= 0 && augmentation.HeightShift <= 1)) Fail("augmentation.heightShift", "Must be a fraction of the height from 0 to 1.");
            if (!(augmentation.Zoom >= 0 && augmentation.Zoom <= 0.9)) Fail("augmentation.zoom", "Must be from 0 to 0.9.");
            if (!(augmentation.Shear >= 0 && augmentation.Shear <= 45)) Fail("augmentation.shear", "Must be from 0 to 45.");
        }

        return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    // The settings of a pretrained network's backbone: meaningless for a network trained from scratch.
    private static void ValidateFineTuning(TrainingSettings settings, Action<string, string> fail)
    {
        var pretrained = NetworkCatalog.Exists(settings.Network) && NetworkCatalog.IsPretrained(settings.Network);
        string NoBackbone(string what) => $"Network '{settings.Network}' has no pretrained backbone {what}; pretrained networks: {string.Join(", ", NetworkCatalog.Names.Where(NetworkCatalog.IsPretrained))}.";

        // Against the epochs only when they are valid: one bad field, one message.
        if (settings.WarmupEpochs < 0 || (settings.Epochs is >= 1 and <= MaxEpochs && settings.WarmupEpochs > settings.Epochs))
            fail("warmupEpochs", "Must be from 0 (no warm-up) to the number of epochs.");
        else if (settings.WarmupEpochs > 0 && !pretrained)
            fail("warmupEpochs", NoBackbone("to freeze during a warm-up: set 0"));
        else if (settings.WarmupEpochs > 0 && settings.FreezeBackbone)
            fail("warmupEpochs", "With freezeBackbone the backbone never trains, so there is no warm-up to end: set 0.");

        if (!(settings.BackboneLearningRateFactor > 0 && settings.BackboneLearningRateFactor <= 1))
            fail("backboneLearningRateFactor", "Must be above 0 and at most 1 (the backbone's share of learningRate).");
        else if (settings.BackboneLearningRateFactor != 1 && !pretrained)
            fail("backboneLearningRateFactor", NoBackbone("to train at its own rate: leave it at 1"));

        if (settings.FreezeBackbone && !pretrained)
            fail("freezeBackbone", NoBackbone("to freeze"));
        else if (settings.FreezeBackbone && settings.Augmentation is { } augmentation && !IsMirrorOnly(augmentation))
            // Features are computed once: a rotation or a shift drawn per epoch would need the backbone every epoch.
            fail("freezeBackbone", "The features are computed once per image and its mirror image: augmentation can only be horizontalFlip " +
                                   "(set rotationDegrees, widthShift, heightShift, shear and zoom to 0).");

        if (settings.FreezeBatchNorm && !pretrained)
            fail("freezeBatchNorm", NoBackbone("whose batch-norm statistics could be kept"));
    }

    private static bool IsMirrorOnly(AugmentationSettings augmentation) =>
        augmentation.RotationDegrees == 0 && augmentation.WidthShift == 0 && augmentation.HeightShift == 0 && augmentation.Shear == 0 && augmentation.Zoom == 0;

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the settings are not valid.</summary>
    public static void EnsureValid(TrainingSettings settings)
    {
        var errors = Validate(settings);
        if (errors.Count == 0) return;
        var problems = errors.SelectMany(pair => pair.Value.Select(message => $"{pair.Key}: {message}"));
        throw new ArgumentException($"Invalid training settings. {string.Join(" ", problems)}", nameof(settings));
    }
}
