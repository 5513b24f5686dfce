using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public sealed class TrainingPipelineTests(SampleRunFixture sample, ITestOutputHelper output) : IClassFixture<SampleRunFixture>
{
    [Fact]
    public void Tiny_preset_learns_the_sample_faces()
    {
        var outcome = sample.Outcome;

        Assert.True(outcome.Test.RocAuc >= 0.85, $"test AUC {outcome.Test.RocAuc:F3}");
        Assert.True(outcome.Test.Accuracy > outcome.Test.NaiveBaselineAccuracy, $"accuracy {outcome.Test.Accuracy:F3} vs naive {outcome.Test.NaiveBaselineAccuracy:F3}");
        // Time is reported, not asserted: timings swing several-fold while other work shares the two cores.
        output.WriteLine($"tiny preset, {SampleRunFixture.ImageCount} images: {outcome.Seconds:F1} s, {outcome.History.Count} epochs, " +
                         $"best {outcome.BestEpoch}, test AUC {outcome.Test.RocAuc:F3}, accuracy {outcome.Test.Accuracy:F3}");
    }

    [Fact]
    public void Run_reports_stages_epochs_and_batches_in_order()
    {
        var observer = sample.Observer;
        var outcome = sample.Outcome;

        Assert.Equal([TrainingPipeline.LoadingImagesStage, TrainingPipeline.TrainingStage, TrainingPipeline.EvaluatingStage], observer.Stages);
        Assert.Equal(Enumerable.Range(1, outcome.History.Count), observer.Epochs.Select(epoch => epoch.Epoch));
        var batchesPerEpoch = (outcome.Split.Train.Count + SampleRunFixture.Settings.BatchSize - 1) / SampleRunFixture.Settings.BatchSize;
        Assert.Equal(outcome.History.Count * batchesPerEpoch, observer.Batches.Count);
        Assert.All(observer.Batches, batch => Assert.Equal(batchesPerEpoch, batch.BatchesPerEpoch));
        Assert.All(outcome.History, epoch => Assert.NotNull(epoch.ValidationLoss));
    }

    [Fact]
    public void Split_is_stratified_disjoint_and_complete()
    {
        var split = sample.Outcome.Split;
        var settings = SampleRunFixture.Settings;
        int Count(EmotionClass label) => sample.Images.Count(image => image.Label == label);

        var all = split.Train.Concat(split.Validation).Concat(split.Test).ToArray();
        Assert.Equal(sample.Images.Select(image => image.Id).Order(), all.Order());
        var expectedTest = Enum.GetValues<EmotionClass>().Sum(label => StratifiedSplit.TestCount(Count(label), settings.TestFraction));
        Assert.Equal(expectedTest, split.Test.Count);
        Assert.Equal(expectedTest, sample.Outcome.Test.TestSize);
        Assert.NotEmpty(split.Validation);
    }

    [Fact]
    public void Outcome_model_describes_itself_and_predicts_like_the_evaluation()
    {
        var outcome = sample.Outcome;
        var manifest = outcome.Model.Manifest;

        Assert.Equal((SampleRunFixture.Settings.Network, 32, 32), (manifest.Network, manifest.ImageHeight, manifest.ImageWidth));
        Assert.Equal(ImageCodec.PreparationDescription, manifest.Preparation);
        Assert.Equal(SampleRunFixture.Settings, manifest.Settings);
        Assert.Equal(outcome.Test, manifest.TestMetrics);
        Assert.Equal(outcome.BestEpoch, manifest.BestEpoch);
        Assert.InRange(outcome.BestEpoch, 1, outcome.History.Count);

        var testImages = sample.Images.Where(image => outcome.Split.Test.Contains(image.Id)).ToArray();
        var prepared = testImages.Select(image => ImageCodec.Prepare(File.ReadAllBytes(image.FilePath), outcome.Model.InputSize, ImageLimits.Default)).ToArray();
        var probabilities = outcome.Model.PredictPositive(prepared);
        var labels = testImages.Select(image => (int)image.Label).ToArray();
        Assert.Equal(outcome.Test.RocAuc, BinaryEvaluation.Evaluate(labels, probabilities, manifest.Threshold).RocAuc, 9);
    }

    [Fact]
    public void Outcome_model_saves_and_loads_with_its_metrics_and_predictions()
    {
        var directory = Path.Combine(sample.Directory, "model-" + Guid.NewGuid().ToString("N"));
        var prepared = sample.Images.Take(40)
            .Select(image => ImageCodec.Prepare(File.ReadAllBytes(image.FilePath), sample.Outcome.Model.InputSize, ImageLimits.Default)).ToArray();
        sample.Outcome.Model.Save(directory);

        using var loaded = TrainedModel.Load(directory);

        Assert.Equal(sample.Outcome.Model.PredictPositive(prepared), loaded.PredictPositive(prepared));
        Assert.Equivalent(sample.Outcome.Test, loaded.Manifest.TestMetrics, strict: true);
        Assert.Equal(double.PositiveInfinity, loaded.Manifest.TestMetrics!.RocCurve[0].Threshold);
        Assert.Equal(SampleRunFixture.Settings, loaded.Manifest.Settings);
    }

    [Fact]
    public void Same_seed_settings_and_data_give_identical_metrics()
    {
        var again = new TrainingPipeline().Run(sample.Images, SampleRunFixture.Settings);
        using var model = again.Model;

        Assert.Equal(Timeless(sample.Outcome.History), Timeless(again.History));
        Assert.Equal(sample.Outcome.BestEpoch, again.BestEpoch);
        Assert.Equivalent(sample.Outcome.Test, again.Test, strict: true);
        Assert.Equal(TrainedModel.SerializeWeights(sample.Outcome.Model.Network), TrainedModel.SerializeWeights(model.Network));
    }

    [Fact]
    public void Run_cancelled_after_epoch_two_resumes_from_its_checkpoint_to_the_uninterrupted_result()
    {
        var checkpoints = Path.Combine(sample.Directory, "checkpoint-" + Guid.NewGuid().ToString("N"));
        using var cancellation = new CancellationTokenSource();
        var interrupted = new RecordingObserver { AfterEpoch = epoch => { if (epoch.Epoch == 2) cancellation.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new TrainingPipeline().Run(sample.Images, SampleRunFixture.Settings, interrupted, checkpoints, cancellationToken: cancellation.Token));
        Assert.True(File.Exists(Path.Combine(checkpoints, TrainingCheckpoint.FileName)));

        var resumedObserver = new RecordingObserver();
        var resumed = new TrainingPipeline().Run(sample.Images, SampleRunFixture.Settings, resumedObserver, checkpoints);
        using var model = resumed.Model;

        Assert.DoesNotContain(resumedObserver.Batches, batch => batch.Epoch <= 2);
        Assert.Equal(Timeless(sample.Outcome.History), Timeless(resumed.History));
        Assert.Equivalent(sample.Outcome.Test, resumed.Test, strict: true);
        Assert.Equal(TrainedModel.SerializeWeights(sample.Outcome.Model.Network), TrainedModel.SerializeWeights(model.Network));
    }

    [Fact]
    public void Without_a_validation_part_epochs_are_measured_on_the_test_set_and_the_last_is_kept()
    {
        // The article's way: its "valid" folder served as validation during training and as the final test set.
        var settings = SampleRunFixture.Settings with { ValidationFraction = 0, Epochs = 2 };

        var outcome = new TrainingPipeline().Run(sample.Images, settings);
        using var model = outcome.Model;

        Assert.Empty(outcome.Split.Validation);
        Assert.Equal(2, outcome.BestEpoch);
        Assert.Equal(outcome.Test.Accuracy, outcome.History[^1].ValidationAccuracy!.Value, 9);
        Assert.Equal(outcome.Test.Loss, outcome.History[^1].ValidationLoss!.Value, 4);
        // The test metrics reuse the last epoch's pass over the test set: they must be the returned model's own.
        // In the split's order, so even the loss's summation order is the pipeline's.
        var testImages = outcome.Split.Test.Select(id => sample.Images.Single(image => image.Id == id)).ToArray();
        var prepared = testImages.Select(image => ImageCodec.Prepare(File.ReadAllBytes(image.FilePath), model.InputSize, ImageLimits.Default)).ToArray();
        var labels = testImages.Select(image => (int)image.Label).ToArray();
        Assert.Equivalent(BinaryEvaluation.Evaluate(labels, model.PredictPositive(prepared), settings.Threshold),
            outcome.Test with { TestImagesWithNearDuplicateInTraining = null }, strict: true);
    }

    [Fact]
    public void A_run_streamed_from_the_cache_equals_a_run_in_memory_and_the_next_run_decodes_nothing()
    {
        // Copies of the files: the last run scrambles them.
        var folder = Directory.CreateDirectory(Path.Combine(sample.Directory, "cached-" + Guid.NewGuid().ToString("N"))).FullName;
        var images = sample.Images.Select(image =>
        {
            var copy = Path.Combine(folder, Path.GetFileName(image.FilePath));
            File.Copy(image.FilePath, copy);
            return image with { FilePath = copy };
        }).ToArray();
        var settings = SampleRunFixture.Settings with { Epochs = 5 };
        var cache = new PreparedImageCache(Path.Combine(folder, "prepared"));
        static object Metrics(TrainingOutcome outcome) =>
            outcome.History.Select(epoch => (epoch.TrainLoss, epoch.TrainAccuracy, epoch.ValidationLoss, epoch.ValidationAccuracy)).ToArray();

        var inMemory = new TrainingPipeline().Run(images, settings);
        var streamed = new TrainingPipeline(cache).Run(images, settings);
        foreach (var image in images)
        {
            // Same length and time, no longer an image: a run that decoded anything would fail.
            var written = File.GetLastWriteTimeUtc(image.FilePath);
            File.WriteAllBytes(image.FilePath, new byte[new FileInfo(image.FilePath).Length]);
            File.SetLastWriteTimeUtc(image.FilePath, written);
        }
        var again = new TrainingPipeline(cache).Run(images, settings);

        using (inMemory.Model)
        using (streamed.Model)
        using (again.Model)
        {
            Assert.Equal(Metrics(inMemory), Metrics(streamed));
            Assert.Equivalent(inMemory.Test, streamed.Test, strict: true);
            Assert.Equal(Metrics(streamed), Metrics(again));
            Assert.Equivalent(streamed.Test, again.Test, strict: true);
            // A network that ignored its input would score 0.5 in every run, equal or not.
            Assert.True(inMemory.Test.RocAuc > 0.6, $"test AUC {inMemory.Test.RocAuc:F3}: the runs compared learnt something");
        }
    }

    [Fact]
    public void A_file_that_no_longer_prepares_fails_the_run_naming_it()
    {
        var broken = Path.Combine(sample.Directory, "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        // Both classes, so the split is fine and the broken file is what fails.
        var images = sample.Images.Where(image => image.Label == EmotionClass.Positive).Take(50)
            .Concat(sample.Images.Where(image => image.Label == EmotionClass.Negative).Take(50))
            .Append(new DatasetImage("Negative/broken.png", EmotionClass.Negative, broken)).ToArray();

        var error = Assert.Throws<TrainingDataException>(() => new TrainingPipeline().Run(images, SampleRunFixture.Settings));

        Assert.Contains("Negative/broken.png", error.Message);
    }

    [Fact]
    public void Too_few_images_of_a_class_fail_with_the_reason()
    {
        var images = sample.Images.Where(image => image.Label == EmotionClass.Positive).Take(20)
            .Concat(sample.Images.Where(image => image.Label == EmotionClass.Negative).Take(3)).ToArray();

        var error = Assert.Throws<TrainingDataException>(() => new TrainingPipeline().Run(images, SampleRunFixture.Settings));

        Assert.Contains("Negative", error.Message);
    }

    [Fact]
    public void Invalid_settings_are_refused_before_any_work()
    {
        var observer = new RecordingObserver();

        var error = Assert.Throws<ArgumentException>(() =>
            new TrainingPipeline().Run(sample.Images, SampleRunFixture.Settings with { BatchSize = 0 }, observer));

        Assert.Contains("batchSize", error.Message);
        Assert.Empty(observer.Stages);
    }

    [Fact]
    public void A_cancelled_token_stops_before_training()
    {
        var observer = new RecordingObserver();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new TrainingPipeline().Run(sample.Images, SampleRunFixture.Settings, observer, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Empty(observer.Batches);
    }

    private static IEnumerable<EpochMetrics> Timeless(IEnumerable<EpochMetrics> history) => history.Select(epoch => epoch with { Seconds = 0 });
}
