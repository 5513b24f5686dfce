using System.Diagnostics;
using System.Security.Cryptography;
using EmotionApi.Learning;
using EmotionApi.Learning.Networks;

// Converts ResNet-18's ImageNet weights from the ONNX graphs of Microsoft.ML.DnnImageFeaturizer.ResNet18 into the
// TorchSharp file NetworkCatalog's "resnet18" starts from. Run by the build (PretrainedWeights.csproj).
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: PretrainedWeights <ResNet18.onnx> <ResNetPreprocess.onnx> <output .weights file>");
    return 2;
}
var (resNetPath, preprocessPath, outputPath) = (args[0], args[1], args[2]);
try
{
    var clock = Stopwatch.StartNew();
    TorchRuntime.EnsureLoaded();
    using var backbone = ResNet18OnnxImport.Read(resNetPath, preprocessPath);
    ResNet18ImageNetWeights.Save(backbone, outputPath);
    var parameters = backbone.parameters().Sum(p => p.numel());
    var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(outputPath)));
    Console.WriteLine($"PretrainedWeights: ResNet-18 ImageNet backbone ({parameters:N0} parameters) -> {outputPath} " +
                      $"({new FileInfo(outputPath).Length / 1e6:F1} MB, SHA-256 {sha256[..16]}...) in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (Exception e) when (e is InvalidDataException or IOException or TorchUnavailableException)
{
    // MSBuild shows "error" lines as build errors.
    Console.Error.WriteLine($"error: PretrainedWeights: {e.Message}");
    return 1;
}
