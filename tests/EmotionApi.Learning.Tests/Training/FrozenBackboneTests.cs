using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Training;

[Collection(TorchTrainingCollection.Name)]
public sealed class FrozenBackboneTests(SampleRunFixture sample) : IClassFixture<SampleRunFixture>
{
    [Fact]
    public void Features_are_computed_for_each_image_and_its_mirror_image()
    {
        torch.manual_seed(1);
        using var network = new TinyPretrainedNetwork();
        var images = SyntheticPixels.Make(5, seed: 3).Images;

        using var features = BackboneFeatures.Compute(network.Backbone, images, batchSize: 2, CancellationToken.None);
        var mirrored = Enumerable.Range(0, images.Count).Select(i =>
        {
            var pixels = new byte[images.Size.Height * images.Size.Width * 3];
            images.Read(i, pixels);
            return new PreparedImage(images.Size, pixels).Mirrored();
        }).ToArray();
        using var plain = BackboneFeatures.Compute(network.Backbone, new PreparedImageList(images.Size, mirrored), batchSize: 4, CancellationToken.None);

        Assert.Equal([5L, 2, 8], features.shape);
        // Feature pair i holds image i and its mirror; the mirror's own pair holds them the other way round.
        Assert.True(features.select(1, 1).allclose(plain.select(1, 0), rtol: 1e-5, atol: 1e-6));
        Assert.True(features.select(1, 0).allclose(plain.select(1, 1), rtol: 1e-5, atol: 1e-6));
        Assert.False(features.select(1, 0).allclose(features.select(1, 1)));
    }

    [Fact]
    public void A_trained_standardised_head_folds_into_a_plain_linear_layer_with_the_same_outputs()
    {
        torch.manual_seed(2);
        using var training = randn(40, 2, 6).mul_(tensor(new[] { 5f, 0.1f, 1f, 30f, 2f, 0f })).add_(3);
        using var head = new StandardisedHead(training);
        using var plain = nn.Linear(6, 1);
        using var features = randn(10, 6).mul_(4);

        head.FoldInto(plain);

        using var expected = head.call(features);
        using var folded = plain.call(features).reshape(-1);
        Assert.True(folded.allclose(expected, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void A_feature_silent_in_training_does_not_blow_up_where_an_unseen_image_wakes_it()
    {
        torch.manual_seed(2);
        // The last feature is 0 on every training image, as a ReLU unit can be.
        using var training = cat([randn(30, 2, 3), zeros(30, 2, 1)], dim: 2);
        using var head = new StandardisedHead(training);
        using var awake = tensor(new[] { 0f, 0f, 0f, 1f }).reshape(1, 4);
        using var quiet = zeros(1, 4);

        using var difference = head.call(awake).sub(head.call(quiet)).abs();

        // Scaled as a tenth of a typical feature's deviation (about 1), not by a deviation of 0.
        Assert.InRange(difference.item<float>(), 0, 100 * head.parameters().First().abs().max().item<float>());
    }

    [Fact]
    public void Training_batches_take_an_image_or_its_mirror_and_scores_average_the_two()
    {
        // Item i's features are i (as it is) and -i (mirrored), so a batch shows which it took.
        using var features = stack([arange(6, dtype: ScalarType.Float32), arange(6, dtype: ScalarType.Float32).neg()], dim: 1).unsqueeze(2);
        using var flipping = new FeatureInputs(features.clone(), batchSize: 4, mirrorAugmented: true, mirrorAveraged: true);
        using var plain = new FeatureInputs(features.clone(), batchSize: 4, mirrorAugmented: false, mirrorAveraged: false);
        int[] order = [5, 1, 4, 0, 2, 3];
        using var identity = nn.Linear(1, 1);
        using (no_grad())
        {
            identity.weight!.fill_(2);
            identity.bias!.fill_(1);
        }

        var flipped = flipping.TrainingBatches(order, new Random(1)).SelectMany(batch => batch.data<float>().ToArray()).ToArray();
        var straight = plain.TrainingBatches(order, new Random(1)).SelectMany(batch => batch.data<float>().ToArray()).ToArray();

        Assert.Equal(order.Select(i => (float)i), straight);
        Assert.Equal(order.Select(i => (float)i), flipped.Select(Math.Abs));
        Assert.Contains(flipped, value => value < 0);
        // 2 i + 1 and -2 i + 1 average to 1; without averaging the logit is 2 i + 1.
        Assert.All(flipping.Logits(identity, CancellationToken.None), logit => Assert.Equal(1f, logit, 5));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => 2f * i + 1), plain.Logits(identity, CancellationToken.None));
    }

    [Fact]
    public void The_frozen_variant_trains_a_head_on_imagenet_features_and_its_model_scores_as_it_evaluated()
    {
        var settings = TrainingPresets.Get(TrainingPresets.PretrainedFrozen) with { ImageHeight = 64, ImageWidth = 64, Epochs = 30 };
        var checkpoints = Path.Combine(sample.Directory, "frozen-" + Guid.NewGuid().ToString("N"));

        var outcome = new TrainingPipeline().Run(sample.Images, settings, checkpointDirectory: checkpoints);
        using var model = outcome.Model;

        Assert.True(outcome.Test.RocAuc >= 0.8, $"test AUC {outcome.Test.RocAuc:F3}");
        // The head's checkpoint: kilobytes, not the 64 MB backbone and its optimizer state.
        Assert.InRange(new FileInfo(Path.Combine(checkpoints, TrainingCheckpoint.FileName)).Length, 1, 100_000);
        // The backbone is ImageNet's, untouched.
        using var pretrained = (ResNet18)NetworkCatalog.Create(NetworkCatalog.ResNet18, model.InputSize);
        var trained = (ResNet18)model.Network;
        Assert.True(trained.Backbone.state_dict().All(entry => entry.Value.eq(pretrained.Backbone.state_dict()[entry.Key]).all().item<bool>()));
        // The evaluation is the saved model's own predictions, with the mirror averaging it records.
        Assert.True(model.Manifest.Settings.TestTimeFlip);
        var testImages = outcome.Split.Test.Select(id => sample.Images.Single(image => image.Id == id)).ToArray();
        var prepared = testImages.Select(image => ImageCodec.Prepare(File.ReadAllBytes(image.FilePath), model.InputSize, ImageLimits.Default)).ToArray();
        var labels = testImages.Select(image => (int)image.Label).ToArray();
        Assert.Equivalent(EmotionApi.Learning.Evaluation.BinaryEvaluation.Evaluate(labels, model.PredictPositive(prepared), settings.Threshold),
            outcome.Test with { TestImagesWithNearDuplicateInTraining = null }, strict: true);
        // Mirror averaging makes an image and its mirror score the same.
        Assert.Equal(model.PredictPositive(prepared), model.PredictPositive(prepared.Select(image => image.Mirrored()).ToArray()), new ToleranceComparer(1e-5f));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
