using EmotionApi.Learning.IO;
using EmotionApi.Learning.Models;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// The file of ResNet-18's ImageNet weights in TorchSharp's format (the <see cref="ResNet18Backbone"/>'s state,
/// mean image included). The build converts it from the ONNX graphs of the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 (build/PretrainedWeights) and ships it beside the assemblies of every
/// program that trains ResNet-18, and in the published service; nothing is downloaded at run time. A model trained
/// from it saves all its own weights, so loading that model never reads this file.
/// </summary>
public static class ResNet18ImageNetWeights
{
    public const string FileName = "resnet18-imagenet.weights";
    /// <summary>The folder, beside the assemblies, the build puts the file in.</summary>
    public const string ShippedFolder = "pretrained";

    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, ShippedFolder, FileName);

    /// <summary>Writes <paramref name="backbone"/>'s state to <paramref name="path"/> atomically (two builds may write it at once).</summary>
    public static void Save(ResNet18Backbone backbone, string path) =>
        AtomicFile.WriteAllBytes(path, TrainedModel.SerializeWeights(backbone));

    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file does not hold a ResNet-18 backbone's state.</exception>
    public static void LoadInto(ResNet18Backbone backbone, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"ResNet-18's ImageNet weights are missing at '{path}'. The build makes them (build/PretrainedWeights): build the project again.", path);
        try
        {
            TrainedModel.LoadWeights(backbone, File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' does not hold ResNet-18's ImageNet weights: {e.Message}", e);
        }
    }
}
