using EmotionApi.Datasets;
using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Training;
using EmotionApi.Shared;
using Microsoft.Extensions.Options;

namespace EmotionApi.Training;

/// <summary>
/// Turns a <see cref="TrainingJobRequest"/> into the run's full settings (the preset, then the overrides),
/// or a <see cref="ValidationException"/> naming every bad field: the library's rules for the settings, and the rules that need
/// the dataset (it exists, and the split leaves every class on both sides).
/// </summary>
public sealed class TrainingSettingsResolver(DatasetStore datasets, IOptions<DatasetAuditOptions> audit)
{
    public TrainingSettings Resolve(TrainingJobRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        IReadOnlyList<DatasetImage>? images = null;
        if (string.IsNullOrWhiteSpace(request.DatasetId))
            errors["datasetId"] = ["A dataset id is required (POST /api/datasets or POST /api/datasets/sample makes one)."];
        else if ((images = datasets.GetImages(request.DatasetId)) is null)
            errors["datasetId"] = [$"There is no dataset with id '{request.DatasetId}'."];

        var presetName = request.Preset ?? TrainingPresets.Default;
        if (!TrainingPresets.Exists(presetName))
        {
            errors["preset"] = [$"Unknown preset '{presetName}'. Presets: {string.Join(", ", TrainingPresets.Names)}."];
            throw new ValidationException(errors);
        }

        // The near distance is the service's (the audit's), recorded in the settings so a resumed run splits the same way.
        var settings = ApplyOverrides(TrainingPresets.Get(presetName), request) with { NearDuplicateDistance = audit.Value.NearDistance };
        foreach (var (field, problems) in TrainingSettingsValidator.Validate(settings))
            errors[field] = problems;

        if (images is not null)
        {
            if (!errors.ContainsKey("testFraction") && !errors.ContainsKey("validationFraction"))
            {
                foreach (var (field, problem) in SplitProblems(images, settings))
                    errors[field] = [problem];
            }
        }

        if (errors.Count > 0) throw new ValidationException(errors);
        return settings;
    }

    private static TrainingSettings ApplyOverrides(TrainingSettings preset, TrainingJobRequest request)
    {
        var augmentation = preset.Augmentation;
        if (request.Augmentation is { } a)
        {
            augmentation = new AugmentationSettings
            {
                RotationDegrees = a.RotationDegrees ?? augmentation.RotationDegrees,
                WidthShift = a.WidthShift ?? augmentation.WidthShift,
                HeightShift = a.HeightShift ?? augmentation.HeightShift,
                Shear = a.Shear ?? augmentation.Shear,
                Zoom = a.Zoom ?? augmentation.Zoom,
                HorizontalFlip = a.HorizontalFlip ?? augmentation.HorizontalFlip,
            };
        }

        return preset with
        {
            Epochs = request.Epochs ?? preset.Epochs,
            BatchSize = request.BatchSize ?? preset.BatchSize,
            LearningRate = request.LearningRate ?? preset.LearningRate,
            WeightDecay = request.WeightDecay ?? preset.WeightDecay,
            ImageHeight = request.ImageHeight ?? preset.ImageHeight,
            ImageWidth = request.ImageWidth ?? preset.ImageWidth,
            TestFraction = request.TestFraction ?? preset.TestFraction,
            ValidationFraction = request.ValidationFraction ?? preset.ValidationFraction,
            Seed = request.Seed ?? preset.Seed,
            ClassWeighting = request.ClassWeighting ?? preset.ClassWeighting,
            EarlyStoppingPatience = request.EarlyStoppingPatience ?? preset.EarlyStoppingPatience,
            CosineSchedule = request.CosineSchedule ?? preset.CosineSchedule,
            KeepBestEpoch = request.KeepBestEpoch ?? preset.KeepBestEpoch,
            EmaDecay = request.EmaDecay ?? preset.EmaDecay,
            TestTimeFlip = request.TestTimeFlip ?? preset.TestTimeFlip,
            LabelSmoothing = request.LabelSmoothing ?? preset.LabelSmoothing,
            Mixup = request.Mixup ?? preset.Mixup,
            // A shorter run than the preset's keeps its warm-up within the run: {"epochs": 1} works with any preset.
            WarmupEpochs = request.WarmupEpochs ?? Math.Min(preset.WarmupEpochs, Math.Max(0, request.Epochs ?? preset.Epochs)),
            BackboneLearningRateFactor = request.BackboneLearningRateFactor ?? preset.BackboneLearningRateFactor,
            FreezeBackbone = request.FreezeBackbone ?? preset.FreezeBackbone,
            FreezeBatchNorm = request.FreezeBatchNorm ?? preset.FreezeBatchNorm,
            GroupDuplicates = request.GroupDuplicates ?? preset.GroupDuplicates,
            Augmentation = augmentation,
        };
    }

    /// <summary>
    /// The checks the pipeline's split makes (StratifiedSplit.Problem), made before a job exists: the test set
    /// takes floor(n x fraction) images of each class, then validation takes its share of what is left.
    /// </summary>
    private static IEnumerable<(string Field, string Problem)> SplitProblems(IReadOnlyList<DatasetImage> images, TrainingSettings settings)
    {
        var counts = Enum.GetValues<EmotionClass>().ToDictionary(label => label, label => images.Count(image => image.Label == label));
        if (counts.Where(pair => pair.Value == 0).Select(pair => (EmotionClass?)pair.Key).FirstOrDefault() is { } missing)
        {
            yield return ("datasetId", $"The dataset has no {missing} image; training needs both classes.");
            yield break;
        }
        if (StratifiedSplit.Problem(counts, settings.TestFraction) is { } testProblem)
        {
            yield return ("testFraction", testProblem);
            yield break;
        }
        if (settings.ValidationFraction > 0)
        {
            var trainCounts = counts.ToDictionary(pair => pair.Key, pair => pair.Value - StratifiedSplit.TestCount(pair.Value, settings.TestFraction));
            if (StratifiedSplit.Problem(trainCounts, settings.ValidationFraction) is { } validationProblem)
                yield return ("validationFraction", $"In the training part left after the test split: {validationProblem}");
        }
    }
}
