using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

/// <summary>
/// Runs of one epoch on faces with exact copies planted: how the split treats near duplicates, the leakage every evaluation
/// reports, and the scores a run keeps for choosing a threshold later.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class DuplicateGroupingRunTests : IDisposable
{
    private const int Faces = 100;
    private const int Copies = 12;
    private static readonly TrainingSettings OneEpoch = TrainingPresets.Get(TrainingPresets.Tiny) with { Epochs = 1 };

    private readonly string directory = Directory.CreateTempSubdirectory("duplicate-grouping-").FullName;
    private readonly DatasetImage[] images;

    public DuplicateGroupingRunTests()
    {
        // Every eighth face gets a copy under another name in its own class.
        var faces = SyntheticFaces.Generate(new SyntheticFacesOptions { Count = Faces, Seed = 5, Width = 48, Height = 48 }).ToList();
        var copies = faces.Where((_, i) => i % 8 == 0).Take(Copies).Select(face => face with { FileName = "copy-of-" + face.FileName });
        images = faces.Concat(copies).Select(face =>
        {
            var path = Path.Combine(directory, face.FileName);
            File.WriteAllBytes(path, face.Png);
            return new DatasetImage($"{face.Label}/{face.FileName}", face.Label, path);
        }).ToArray();
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Without_grouping_the_split_is_the_articles_and_the_evaluation_counts_the_test_images_copied_in_training()
    {
        var outcome = new TrainingPipeline().Run(images, OneEpoch with { GroupDuplicates = false });
        using var model = outcome.Model;

        var article = StratifiedSplit.Split(images, OneEpoch.TestFraction, OneEpoch.Seed);
        Assert.Equal(article.Test.Select(image => image.Id), outcome.Split.Test);
        var leaked = Leaked(outcome.Split);
        Assert.True(leaked > 0, "the planted copies straddle the split (a premise of the test)");
        Assert.Equal(leaked, outcome.Test.TestImagesWithNearDuplicateInTraining);
    }

    [Fact]
    public void With_grouping_no_test_or_validation_image_has_a_near_duplicate_on_the_other_side()
    {
        var outcome = new TrainingPipeline().Run(images, OneEpoch with { GroupDuplicates = true });
        using var model = outcome.Model;

        Assert.Equal(0, outcome.Test.TestImagesWithNearDuplicateInTraining);
        Assert.Equal(0, Leaked(outcome.Split));
        Assert.Equal(0, Near(outcome.Split.Validation, outcome.Split.Train));
        Assert.All(images.Where(image => image.Id.Contains("copy-of-")), copy =>
            Assert.Equal(Side(outcome.Split, copy.Id), Side(outcome.Split, copy.Id.Replace("copy-of-", ""))));
    }

    [Fact]
    public void The_run_keeps_its_test_and_validation_scores_and_the_validation_point_of_its_threshold()
    {
        var outcome = new TrainingPipeline().Run(images, OneEpoch);
        using var model = outcome.Model;
        var byId = images.ToDictionary(image => image.Id);

        Assert.Equal(outcome.Split.Test.Select(id => (int)byId[id].Label), outcome.TestScores.Labels);
        Assert.Equivalent(outcome.Test with { TestImagesWithNearDuplicateInTraining = null }, outcome.TestScores.Evaluate(OneEpoch.Threshold), strict: true);
        var validation = outcome.ValidationScores!;
        Assert.Equal(outcome.Split.Validation.Select(id => (int)byId[id].Label), validation.Labels);
        var prepared = outcome.Split.Validation.Select(id => ImageCodec.Prepare(File.ReadAllBytes(byId[id].FilePath), model.InputSize, ImageLimits.Default)).ToArray();
        Assert.Equal(model.PredictPositive(prepared), validation.Scores);
        var origin = model.Manifest.ThresholdOrigin!;
        Assert.Equal(ThresholdOrigin.DefaultRule, origin.Rule);
        Assert.Equal(ThresholdSelection.At(validation.Labels, validation.Scores, 0.5), origin.Validation);
    }

    [Fact]
    public void The_hashes_a_run_is_given_are_the_ones_it_groups_by()
    {
        // One hash for every image: a single group, too large for any test part.
        var alike = images.Select(image => image with { Hash = 42 }).ToArray();

        var error = Assert.Throws<TrainingDataException>(() => new TrainingPipeline().Run(alike, OneEpoch with { GroupDuplicates = true }));

        Assert.Contains("near duplicates", error.Message);
        Assert.Contains("groupDuplicates", error.Message);
    }

    [Fact]
    public void A_run_that_does_not_group_hashes_its_settings_as_the_previous_version_did()
    {
        // The settings as the previous version serialised them (no grouping fields, nor issue 9's, which tiny leaves at
        // their defaults), in the checkpoint's JSON options.
        var settings = TrainingPresets.Get(TrainingPresets.Tiny) with { GroupDuplicates = false, NearDuplicateDistance = 6 };
        var previous = System.Text.Json.JsonSerializer.SerializeToNode(settings, ModelManifest.JsonOptions)!.AsObject();
        foreach (var added in (string[])["groupDuplicates", "nearDuplicateDistance", "keepBestEpoch", "emaDecay", "testTimeFlip", "labelSmoothing",
                                         "mixup", "warmupEpochs", "backboneLearningRateFactor", "freezeBackbone", "freezeBatchNorm"])
            previous.Remove(added);
        var expected = Fingerprint($"format 1\n{previous.ToJsonString(ModelManifest.JsonOptions)}\n", images);

        Assert.Equal(expected, TrainingCheckpoint.Fingerprint(settings, images));
        Assert.Equal(expected, TrainingCheckpoint.Fingerprint(settings with { NearDuplicateDistance = 10 }, images));
        Assert.NotEqual(expected, TrainingCheckpoint.Fingerprint(settings with { GroupDuplicates = true }, images));
    }

    private static string Fingerprint(string header, IEnumerable<DatasetImage> images)
    {
        var text = new System.Text.StringBuilder(header);
        foreach (var image in images.OrderBy(image => image.Id, StringComparer.Ordinal)) text.Append(image.Id).Append('\t').Append((int)image.Label).Append('\n');
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Test images with a near duplicate among the training and validation images.</summary>
    private int Leaked(SplitRecord split) => Near(split.Test, split.Train.Concat(split.Validation).ToList());

    private int Near(IReadOnlyList<string> these, IReadOnlyList<string> those)
    {
        var hash = images.ToDictionary(image => image.Id, image => PerceptualHash.Compute(File.ReadAllBytes(image.FilePath), ImageLimits.Default));
        return these.Count(id => those.Any(other => PerceptualHash.Distance(hash[id], hash[other]) <= DuplicateFinder.DefaultNearDistance));
    }

    private static string Side(SplitRecord split, string id) =>
        split.Test.Contains(id) ? "test" : split.Validation.Contains(id) ? "validation" : "train";
}
