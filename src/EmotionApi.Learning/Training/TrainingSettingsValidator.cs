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

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the settings are not valid.</summary>
    public static void EnsureValid(TrainingSettings settings)
    {
        var errors = Validate(settings);
        if (errors.Count == 0) return;
        var problems = errors.SelectMany(pair => pair.Value.Select(message => $"{pair.Key}: {message}"));
        throw new ArgumentException($"Invalid training settings. {string.Join(" ", problems)}", nameof(settings));
    }
}
