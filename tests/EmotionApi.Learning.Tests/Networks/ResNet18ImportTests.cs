using System.Reflection;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TorchSharp;

namespace EmotionApi.Learning.Tests.Networks;

/// <summary>
/// The import of ResNet-18's ImageNet weights, checked against ONNX Runtime running the package's own graphs: the
/// preprocessing graph then the ResNet-18 graph, on the same prepared bytes the service would feed the network.
/// </summary>
public sealed class ResNet18ImportTests(ITestOutputHelper output)
{
    // Largest |TorchSharp - ONNX Runtime| over an image's 512 features, relative to the largest feature.
    private const double Tolerance = 1e-3;
    private static readonly ImageSize Side224 = new(224, 224);

    private static string PackageFile(string key) =>
        typeof(ResNet18ImportTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string ResNetOnnx => PackageFile("ResNet18OnnxFile");
    private static string PreprocessOnnx => PackageFile("ResNet18PreprocessOnnxFile");

    [Fact]
    public void Backbone_features_equal_onnx_runtime_running_the_package_preprocessing_and_resnet18_graphs()
    {
        var images = TestPictures.Faces(224, 4).Concat(TestPictures.NaturalLooking(224, 4)).ToList();

        var reference = OnnxRuntimeFeatures(images);
        var features = TorchSharpFeatures(images);

        var worst = 0.0;
        for (var i = 0; i < images.Count; i++)
        {
            var scale = reference[i].Max(Math.Abs);
            var difference = reference[i].Zip(features[i], (r, t) => Math.Abs(r - t)).Max();
            var relative = difference / scale;
            worst = Math.Max(worst, relative);
            output.WriteLine($"image {i}: largest feature {scale:F3}, largest difference {difference:E2}, relative {relative:E2}");
            Assert.True(scale > 0.1, $"image {i}: ONNX Runtime's features are all near zero (largest {scale}), nothing to compare");
            Assert.True(relative <= Tolerance,
                $"image {i}: TorchSharp's features differ from ONNX Runtime's by up to {difference:G4} where the largest feature is {scale:G4} " +
                $"(relative {relative:E2} > {Tolerance:E0}); feature 0..3: TorchSharp [{string.Join(", ", features[i].Take(4).Select(v => v.ToString("G5")))}], " +
                $"ONNX Runtime [{string.Join(", ", reference[i].Take(4).Select(v => v.ToString("G5")))}]");
        }
        output.WriteLine($"worst relative difference over {images.Count} images: {worst:E2}");
        // Different pictures give different features: the comparison is not between two constant vectors.
        Assert.True(reference[0].Zip(reference[^1], (a, b) => Math.Abs(a - b)).Max() > 0.1);
    }

    [Fact]
    public void Shipped_weights_file_is_what_the_importer_makes_from_the_package_graphs()
    {
        using var fresh = ResNet18OnnxImport.Read(ResNetOnnx, PreprocessOnnx);

        var shipped = File.ReadAllBytes(ResNet18ImageNetWeights.ShippedPath);

        Assert.True(shipped.AsSpan().SequenceEqual(TrainedModel.SerializeWeights(fresh)),
            $"{ResNet18ImageNetWeights.ShippedPath} differs from a fresh import: the build did not convert again after the importer changed");
    }

    [Fact]
    public void A_graph_with_batch_normalisation_folded_into_a_convolution_is_refused()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ResNetOnnx));
        var graph = model.Graph;
        // Fold the first batch normalisation: its convolution gains a bias, its readers read the convolution.
        var norm = graph.Node.First(n => n.OpType == "BatchNormalization");
        var conv = graph.Node.Single(n => n.Output.Contains(norm.Input[0]));
        conv.Input.Add(norm.Input[2]);
        foreach (var reader in graph.Node)
        {
            for (var i = 0; i < reader.Input.Count; i++)
                if (reader.Input[i] == norm.Output[0]) reader.Input[i] = conv.Output[0];
        }
        graph.Node.Remove(norm);
        using var backbone = new ResNet18Backbone();

        var error = Assert.Throws<InvalidDataException>(() =>
            ResNet18OnnxImport.Import(new OnnxGraph(model, "folded.onnx"), OnnxGraph.Read(PreprocessOnnx), backbone));

        Assert.Equal($"folded.onnx: Conv '{conv.Name}' has a bias; ResNet-18's convolutions have none (batch normalisation follows each).", error.Message);
    }

    private static List<float[]> TorchSharpFeatures(IReadOnlyList<PreparedImage> images)
    {
        using var network = (ResNet18)NetworkCatalog.Create(NetworkCatalog.ResNet18, Side224);
        network.eval();
        using var pixels = BatchPixels.Of(images);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = network.Backbone.call(NetworkInput.Batch(pixels));
        Assert.Equal([images.Count, ResNet18Backbone.Features], features.shape);
        return Enumerable.Range(0, images.Count).Select(i => features[i].data<float>().ToArray()).ToList();
    }

    private static List<float[]> OnnxRuntimeFeatures(IReadOnlyList<PreparedImage> images)
    {
        using var preprocess = new InferenceSession(PreprocessOnnx);
        using var resNet = new InferenceSession(ResNetOnnx);
        using var run = new RunOptions();
        var results = new List<float[]>();
        foreach (var image in images)
        {
            // The graphs take RGB planes on the 0-255 scale, [1, 3, 224, 224].
            var (height, width) = (image.Size.Height, image.Size.Width);
            var planes = new float[3 * height * width];
            for (var p = 0; p < height * width; p++)
            for (var c = 0; c < 3; c++)
                planes[c * height * width + p] = image.Pixels[p * 3 + c];
            using var pixels = OrtValue.CreateTensorValueFromMemory(planes, [1, 3, height, width]);
            using var prepared = preprocess.Run(run, preprocess.InputNames, [pixels], preprocess.OutputNames);
            using var pooled = resNet.Run(run, resNet.InputNames, [prepared[0]], resNet.OutputNames);
            results.Add(pooled[0].GetTensorDataAsSpan<float>().ToArray());
        }
        return results;
    }
}
