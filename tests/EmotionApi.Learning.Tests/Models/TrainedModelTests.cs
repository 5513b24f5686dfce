using System.Text.Json;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Tests.Training;
using EmotionApi.Learning.Training;
using TorchSharp;

namespace EmotionApi.Learning.Tests.Models;

[Collection(TorchTrainingCollection.Name)]
public sealed class TrainedModelTests : IDisposable
{
    private static readonly ImageSize Size = new(32, 32);
    private readonly string directory = Directory.CreateTempSubdirectory("trained-model-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    internal static ModelManifest Manifest(string network = "compact-cnn", ImageSize? size = null) => new()
    {
        Network = network,
        ImageHeight = (size ?? Size).Height,
        ImageWidth = (size ?? Size).Width,
        Preparation = ImageCodec.PreparationDescription,
        ClassNames = ModelManifest.BinaryClassNames,
        Threshold = 0.5,
        Settings = TrainingPresets.Get(TrainingPresets.Tiny),
        BestEpoch = 3,
        LibraryVersions = ModelManifest.CurrentLibraryVersions(),
    };

    /// <summary>A freshly initialised real network: its predictions are arbitrary but fixed, enough to compare.</summary>
    private static TrainedModel NewModel(string network = "compact-cnn", ImageSize? size = null)
    {
        torch.manual_seed(3);
        return new TrainedModel(Manifest(network, size), NetworkCatalog.Create(network, size ?? Size));
    }

    private static PreparedImage[] Images(int count, ImageSize? size = null, int seed = 9)
    {
        var random = new Random(seed);
        var shape = size ?? Size;
        return Enumerable.Range(0, count).Select(_ =>
        {
            var pixels = new byte[shape.Height * shape.Width * 3];
            random.NextBytes(pixels);
            return new PreparedImage(shape, pixels);
        }).ToArray();
    }

    [Fact]
    public void Saved_model_loads_back_with_identical_predictions_and_manifest()
    {
        var images = Images(40);
        using var model = NewModel();
        var before = model.PredictPositive(images);
        model.Save(directory);

        using var loaded = TrainedModel.Load(directory);

        Assert.Equal(before, loaded.PredictPositive(images));
        Assert.Equal(Size, loaded.InputSize);
        Assert.Equal(model.Manifest.Settings, loaded.Manifest.Settings);
        Assert.Equal(["Negative", "Positive"], loaded.Manifest.ClassNames);
        Assert.Equal(3, loaded.Manifest.BestEpoch);
        Assert.Equal(64, loaded.Manifest.WeightsSha256!.Length);
        Assert.Contains("TorchSharp", loaded.Manifest.LibraryVersions.Keys);
        Assert.Contains("libtorch", loaded.Manifest.LibraryVersions.Keys);
        Assert.Equal([TrainedModel.ManifestFileName, TrainedModel.WeightsFileName], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Manifest_is_camel_case_json()
    {
        using var model = NewModel();
        model.Save(directory);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, TrainedModel.ManifestFileName)));

        Assert.Equal(1, json.RootElement.GetProperty("format").GetInt32());
        Assert.Equal("compact-cnn", json.RootElement.GetProperty("network").GetString());
        Assert.Equal(32, json.RootElement.GetProperty("settings").GetProperty("imageHeight").GetInt32());
    }

    [Fact]
    public void Probabilities_are_in_range_and_one_per_image_across_batches()
    {
        using var model = NewModel();

        var probabilities = model.PredictPositive(Images(TrainedModel.PredictionBatchSize * 2 + 5));

        Assert.Equal(TrainedModel.PredictionBatchSize * 2 + 5, probabilities.Length);
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.Empty(model.PredictPositive([]));
    }

    [Fact]
    public void An_image_predicts_the_same_alone_and_in_a_batch()
    {
        var images = Images(10);
        using var model = NewModel();

        var together = model.PredictPositive(images);
        var alone = model.PredictPositive([images[7]]);

        Assert.Equal(together[7], alone[0], 1e-5f);
    }

    [Fact]
    public void Concurrent_callers_get_the_same_answers_as_one_caller()
    {
        var images = Images(12);
        using var model = NewModel();
        var expected = model.PredictPositive(images);

        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = model.PredictPositive(images));

        Assert.All(results, result => Assert.Equal(expected, result));
    }

    [Fact]
    public void Prediction_leaves_no_tensor_behind()
    {
        var images = Images(TrainedModel.PredictionBatchSize + 3);
        using var model = NewModel();
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        model.PredictPositive(images); // first call: whatever lazy initialisation torch does
        statistics.Reset();

        for (var call = 0; call < 5; call++) model.PredictPositive(images);

        Assert.Equal(0, statistics.CreatedOutsideScopeCount - statistics.DisposedOutsideScopeCount);
        Assert.Equal(0, statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Images_of_another_size_are_refused()
    {
        using var model = NewModel();

        Assert.Throws<ArgumentException>(() => model.PredictPositive(Images(1, new ImageSize(32, 40))));
    }

    [Fact]
    public void Empty_or_missing_directory_is_not_a_model()
    {
        Assert.Contains(TrainedModel.ManifestFileName, Assert.Throws<InvalidModelException>(() => TrainedModel.Load(directory)).Message);
        Assert.Throws<InvalidModelException>(() => TrainedModel.Load(Path.Combine(directory, "absent")));
    }

    [Fact]
    public void Garbage_manifest_is_not_a_model()
    {
        File.WriteAllText(Path.Combine(directory, TrainedModel.ManifestFileName), "this is not json");

        Assert.IsType<JsonException>(Assert.Throws<InvalidModelException>(() => TrainedModel.Load(directory)).InnerException, exactMatch: false);
    }

    [Fact]
    public void Garbage_weights_are_not_a_model()
    {
        using (var model = NewModel()) model.Save(directory);
        var manifestPath = Path.Combine(directory, TrainedModel.ManifestFileName);
        // Without the hash the garbage reaches TorchSharp's loader, which must fail cleanly too.
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllBytes(manifestPath), ModelManifest.JsonOptions)!;
        File.WriteAllBytes(manifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest with { WeightsSha256 = null }, ModelManifest.JsonOptions));
        File.WriteAllBytes(Path.Combine(directory, TrainedModel.WeightsFileName), [1, 2, 3, 4, 5, 6, 7, 8, 9]);

        Assert.Throws<InvalidModelException>(() => TrainedModel.Load(directory));
    }

    [Fact]
    public void Weights_replaced_after_saving_are_detected()
    {
        using (var model = NewModel()) model.Save(directory);
        var weightsPath = Path.Combine(directory, TrainedModel.WeightsFileName);
        var weights = File.ReadAllBytes(weightsPath);
        weights[^1] ^= 0xFF;
        File.WriteAllBytes(weightsPath, weights);

        Assert.Contains("SHA-256", Assert.Throws<InvalidModelException>(() => TrainedModel.Load(directory)).Message);
    }

    [Fact]
    public void Weights_of_another_architecture_are_not_a_model()
    {
        // Save a seed-baseline network under a manifest that claims compact-cnn.
        using (var impostor = new TrainedModel(Manifest(), NetworkCatalog.Create("seed-baseline", new ImageSize(128, 128))))
        {
            impostor.Save(directory);
        }

        var error = Assert.Throws<InvalidModelException>(() => TrainedModel.Load(directory));
        Assert.Contains("compact-cnn", error.Message);
    }

    [Fact]
    public void Unknown_network_or_format_is_not_a_model()
    {
        using (var model = NewModel()) model.Save(directory);
        var manifestPath = Path.Combine(directory, TrainedModel.ManifestFileName);
        var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllBytes(manifestPath), ModelManifest.JsonOptions)!;

        File.WriteAllBytes(manifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest with { Network = "resnet-9000" }, ModelManifest.JsonOptions));
        Assert.Contains("resnet-9000", Assert.Throws<InvalidModelException>(() => TrainedModel.Load(directory)).Message);

        File.WriteAllBytes(manifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest with { Format = 99 }, ModelManifest.JsonOptions));
        Assert.Contains("99", Assert.Throws<InvalidModelException>(() => TrainedModel.Load(directory)).Message);
    }

    [Fact]
    public void A_disposed_model_refuses_to_predict()
    {
        var model = NewModel();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.PredictPositive(Images(1)));
    }
}
