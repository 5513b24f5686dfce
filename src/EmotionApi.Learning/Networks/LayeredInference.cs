using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>Runs an <see cref="ILayeredNetwork"/> a step at a time, as its layer list describes it.</summary>
internal static class LayeredInference
{
    /// <summary>Images [N, 3, H, W] in [0, 1] as the first layer takes them: normalised when the network asks for it.</summary>
    public static Tensor Input(ILayeredNetwork network, Tensor images)
    {
        if (network.InputNormalisation(new Images.ImageSize((int)images.shape[2], (int)images.shape[3])) is not { } normalisation) return images;
        using var offset = normalisation.Offset;
        return images.mul(normalisation.Scale).sub(offset.to_type(images.dtype));
    }

    /// <summary><paramref name="x"/> through layers <paramref name="from"/> to <paramref name="to"/> (inclusive) of <paramref name="layers"/>.</summary>
    public static Tensor Through(IReadOnlyList<nn.Module> layers, Tensor x, int from, int to)
    {
        for (var i = from; i <= to; i++) x = ((nn.Module<Tensor, Tensor>)layers[i]).call(x);
        return x;
    }
}
