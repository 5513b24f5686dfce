using EmotionApi.Learning.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>The networks a run can use, by name. Every network maps a batch [N, 3, H, W] of floats in [0, 1] to logits [N].</summary>
public static class NetworkCatalog
{
    public const string SeedBaseline = "seed-baseline";

    public static IReadOnlyList<string> Names => throw new NotImplementedException();

    public static bool Exists(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>A freshly initialised network for inputs of <paramref name="inputSize"/> (seeded by the caller through torch.manual_seed).</summary>
    public static nn.Module<Tensor, Tensor> Create(string name, ImageSize inputSize) => throw new NotImplementedException();

    /// <summary>The smallest and largest input sides the network accepts.</summary>
    public static (int Min, int Max) SupportedSide(string name) => throw new NotImplementedException();
}
