using TorchSharp.Modules;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// A convolution or dense layer as one image passes through it, as <see cref="NetworkCost"/> counts it: each of its
/// <paramref name="Outputs"/> values sums <paramref name="FanIn"/> products.
/// </summary>
/// <param name="Name">The layer's module name (as in the saved weights), or the names of the layers it stands for.</param>
public sealed record ArithmeticLayer(string Name, long Outputs, long FanIn)
{
    /// <summary>A convolution giving an <paramref name="outputHeight"/> x <paramref name="outputWidth"/> map: fan-in is input channels per group x kernel area.</summary>
    public static ArithmeticLayer Convolution(string name, Conv2d convolution, long outputHeight, long outputWidth)
    {
        var shape = convolution.weight!.shape; // [out, in / groups, kernel height, kernel width]
        return new ArithmeticLayer(name, shape[0] * outputHeight * outputWidth, shape[1] * shape[2] * shape[3]);
    }

    public static ArithmeticLayer Dense(string name, Linear dense) => new(name, dense.out_features, dense.in_features);
}
