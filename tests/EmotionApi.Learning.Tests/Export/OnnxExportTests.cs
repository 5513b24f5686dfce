using System.IO.Compression;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Export;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Tests.Models;
using EmotionApi.Learning.Tests.Training;
using EmotionApi.Tests.Shared;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Export;

/// <summary>
/// The exported graph runs in ONNX Runtime and gives the service's probabilities, for every network: the models saved by an
/// earlier version (trained-like weights, batch-norm statistics included: SavedModels/README.md), the article's network
/// at its full 400x500, and ResNet-18 with its ImageNet backbone.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class OnnxExportTests(ITestOutputHelper output) : IDisposable
{
    private const int Images = 32;
    private const float Tolerance = 1e-4f;
    private readonly string directory = Directory.CreateTempSubdirectory("onnx-export-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, int, int> Models() => new()
    {
        { "compact-cnn-32x32.zip", 32, 32 },
        // The same weights at the default preset's size: CompactCnn takes any side.
        { "compact-cnn-32x32.zip", 96, 96 },
        { "seed-baseline-91x91.zip", 91, 91 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_onnx_graph_gives_the_models_probabilities_in_onnx_runtime(string savedModel, int height, int width)
    {
        using var model = Resized(TrainedModel.Load(Unzip(savedModel)), new ImageSize(height, width));

        AssertMatches(model);
    }

    [Fact]
    public void The_articles_network_at_its_400x500_gives_its_probabilities_in_onnx_runtime()
    {
        torch.manual_seed(3);
        var size = new ImageSize(400, 500);
        using var model = new TrainedModel(TrainedModelTests.Manifest(NetworkCatalog.ArticleNetwork, size), NetworkCatalog.Create(NetworkCatalog.ArticleNetwork, size));

        AssertMatches(model);
    }

    [Theory]
    [InlineData(224)]
    [InlineData(96)]
    public void Resnet18_with_its_imagenet_backbone_gives_its_probabilities_in_onnx_runtime(int side)
    {
        // The pretrained backbone (its mean image resized inside the graph below 224) and a freshly seeded head.
        torch.manual_seed(3);
        var size = new ImageSize(side, side);
        using var model = new TrainedModel(TrainedModelTests.Manifest(NetworkCatalog.ResNet18, size), NetworkCatalog.Create(NetworkCatalog.ResNet18, size));

        AssertMatches(model);
    }

    [Fact]
    public void A_model_trained_with_flip_test_time_augmentation_averages_each_image_with_its_mirror_in_the_graph_too()
    {
        var size = new ImageSize(32, 32);
        var manifest = TrainedModelTests.Manifest(NetworkCatalog.CompactCnn, size);
        // A fresh network's logits are near zero and barely tell an image from its mirror: a larger head makes them.
        static nn.Module<torch.Tensor, torch.Tensor> Network(ImageSize size)
        {
            torch.manual_seed(3);
            var network = NetworkCatalog.Create(NetworkCatalog.CompactCnn, size);
            using (torch.no_grad())
            {
                foreach (var (name, parameter) in network.named_parameters())
                {
                    if (name == "head.weight") parameter.mul_(20);
                    if (name == "head.bias") parameter.zero_();
                }
            }
            return network;
        }
        using var averaged = new TrainedModel(manifest with { Settings = manifest.Settings with { TestTimeFlip = true } }, Network(size));

        AssertMatches(averaged);
        var proto = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(averaged));
        Assert.Equal("true", proto.MetadataProps.Single(entry => entry.Key == "mirror_averaged").Value);
        // The faces are not symmetric: one pass alone would give other probabilities than the service's.
        using var plain = new TrainedModel(manifest, Network(size));
        var images = Faces(size);
        var mirrorEffect = plain.PredictPositive(images).Zip(averaged.PredictPositive(images), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(mirrorEffect > 10 * Tolerance, $"averaging with the mirror moved the probabilities by {mirrorEffect:E2} at most");
    }

    [Fact]
    public void The_graph_has_the_documented_contract()
    {
        using var model = TrainedModel.Load(Unzip("compact-cnn-32x32.zip"));
        var onnx = OnnxExport.ToBytes(model);

        var (input, inputDims, outputName, outputDims) = OnnxRuntimeReference.Signature(onnx);
        var proto = ModelProto.Parser.ParseFrom(onnx);

        Assert.Equal(("images", "positive"), (input, outputName));
        Assert.Equal([-1, 3, 32, 32], inputDims);
        Assert.Equal([-1], outputDims);
        Assert.True(proto.OpsetImport.Single(opset => opset.Domain == "").Version >= 13);
        var metadata = proto.MetadataProps.ToDictionary(entry => entry.Key, entry => entry.Value);
        Assert.Equal("compact-cnn", metadata["network"]);
        Assert.Equal(model.Manifest.Threshold, double.Parse(metadata["threshold"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Negative,Positive", metadata["class_names"]);
        // Dropout is an identity at inference: it has no place in the graph.
        Assert.DoesNotContain(proto.Graph.Node, node => node.OpType == "Dropout");
    }

    [Theory]
    [InlineData("compact-cnn", 48, 48)]
    [InlineData("seed-baseline", 120, 100)]
    [InlineData("resnet18", 64, 80)]
    public void A_networks_inference_layers_compute_its_forward_pass(string network, int height, int width)
    {
        // The export and Grad-CAM read the layers; the service predicts with forward. They must be one function.
        torch.manual_seed(8);
        using var module = NetworkCatalog.Create(network, new ImageSize(height, width));
        module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = rand(4, 3, height, width);
        var layered = (ILayeredNetwork)module;

        var logits = LayeredInference.Through(layered.InferenceLayers, LayeredInference.Input(layered, images), 0, layered.InferenceLayers.Count - 1);

        Assert.True(logits.reshape(-1).allclose(module.call(images), rtol: 1e-4, atol: 1e-4));
    }

    private void AssertMatches(TrainedModel model)
    {
        var images = Faces(model.InputSize);
        var service = model.PredictPositive(images);
        var onnx = OnnxExport.ToBytes(model);

        var runtime = OnnxRuntimeReference.Run(onnx, images);

        Assert.Equal(Images, runtime.Length);
        var differences = service.Zip(runtime, (a, b) => Math.Abs(a - b)).ToArray();
        output.WriteLine($"{model.Manifest.Network} {model.InputSize}: {onnx.Length / 1024} KB, max |p_service - p_onnxruntime| = {differences.Max():E2} " +
                         $"over {Images} images (probabilities {service.Min():F3} to {service.Max():F3})");
        Assert.All(differences, difference => Assert.True(difference <= Tolerance, $"difference {difference:E2}"));
        // The images must move the probability by far more than the tolerance, or matching it proves little.
        Assert.True(service.Max() - service.Min() > 10 * Tolerance, $"probabilities {service.Min()} to {service.Max()}");
    }

    /// <summary>Synthetic faces (both classes) prepared at the model's input size, as the service prepares uploads.</summary>
    private static PreparedImage[] Faces(ImageSize size) =>
        SyntheticFaces.Generate(new SyntheticFacesOptions { Count = Images, Seed = 17, Width = 64, Height = 64 })
            .Select(face => ImageCodec.Prepare(face.Png, size, ImageLimits.Default))
            .ToArray();

    /// <summary>The model's network and weights at another input size (CompactCnn takes any side).</summary>
    private static TrainedModel Resized(TrainedModel model, ImageSize size)
    {
        if (model.InputSize == size) return model;
        var manifest = model.Manifest with { ImageHeight = size.Height, ImageWidth = size.Width };
        var network = NetworkCatalog.Create(manifest.Network, size);
        TrainedModel.LoadWeights(network, TrainedModel.SerializeWeights(model.Network));
        model.Dispose();
        return new TrainedModel(manifest, network);
    }

    private string Unzip(string name)
    {
        var target = Path.Combine(directory, Path.GetFileNameWithoutExtension(name) + "-" + Guid.NewGuid().ToString("N"));
        ZipFile.ExtractToDirectory(Path.Combine(AppContext.BaseDirectory, "Models", "SavedModels", name), target);
        return target;
    }
}
