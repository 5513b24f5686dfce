using EmotionApi.Learning.Images;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// What a network costs: trainable parameters, and multiply-accumulates of one image's forward pass counted over
/// convolutions and dense layers (the usual convention: normalisation, activations and pooling are memory-bound and
/// left out). Floating-point operations: forward about 2 x MACs, a training step about 3 x forward.
/// </summary>
public static class NetworkCost
{
    /// <summary>Number of trainable parameters (Keras' "Trainable params").</summary>
    public static long TrainableParameters(nn.Module network) =>
        network.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Multiply-accumulates of the catalog's network <paramref name="networkName"/> as specified, per image.</summary>
    public static long ForwardMultiplyAccumulates(string networkName, ImageSize inputSize)
    {
        using var network = NetworkCatalog.Create(networkName, inputSize);
        return ForwardMultiplyAccumulates(network, inputSize);
    }

    /// <summary>Multiply-accumulates of the network's layers as specified, per image.</summary>
    public static long ForwardMultiplyAccumulates(nn.Module<Tensor, Tensor> network, ImageSize inputSize) =>
        MultiplyAccumulates(SpecifiedLayers(network, inputSize));

    /// <summary>Multiply-accumulates the forward pass executes per image (fewer when it composes layers).</summary>
    public static long ExecutedForwardMultiplyAccumulates(nn.Module<Tensor, Tensor> network, ImageSize inputSize) =>
        MultiplyAccumulates(ExecutedLayers(network, inputSize));

    /// <summary>The layers as specified: the network's own description (<see cref="IDescribedNetwork"/>), or the ones its forward pass calls.</summary>
    public static IReadOnlyList<ArithmeticLayer> SpecifiedLayers(nn.Module<Tensor, Tensor> network, ImageSize inputSize) =>
        network is IDescribedNetwork described ? For(described, inputSize).SpecifiedLayers : TracedLayers(network, inputSize);

    /// <summary>The layers the forward pass runs: the network's own description, or the ones its forward pass calls.</summary>
    public static IReadOnlyList<ArithmeticLayer> ExecutedLayers(nn.Module<Tensor, Tensor> network, ImageSize inputSize) =>
        network is IDescribedNetwork described ? For(described, inputSize).ExecutedLayers : TracedLayers(network, inputSize);

    /// <summary>
    /// The convolution and dense modules a forward pass calls, in call order, found by running one blank image through
    /// the network in eval mode with forward hooks; its mode is restored and the hooks removed.
    /// </summary>
    internal static IReadOnlyList<ArithmeticLayer> TracedLayers(nn.Module<Tensor, Tensor> network, ImageSize inputSize)
    {
        var layers = new List<ArithmeticLayer>();
        var removeHooks = new List<Action>();
        try
        {
            foreach (var (name, module) in network.named_modules())
            {
                switch (module)
                {
                    case Conv2d conv:
                        removeHooks.Add(conv.register_forward_hook((_, _, output) =>
                        {
                            layers.Add(ArithmeticLayer.Convolution(name, conv, output.shape[2], output.shape[3]));
                            return output;
                        }).remove);
                        break;
                    case Linear dense:
                        removeHooks.Add(dense.register_forward_hook((_, _, output) =>
                        {
                            layers.Add(ArithmeticLayer.Dense(name, dense));
                            return output;
                        }).remove);
                        break;
                }
            }
            RunBlankImage(network, inputSize);
        }
        finally
        {
            foreach (var remove in removeHooks) remove();
        }
        return layers;
    }

    private static void RunBlankImage(nn.Module<Tensor, Tensor> network, ImageSize inputSize)
    {
        var wasTraining = network.training;
        network.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            network.call(zeros(1, 3, inputSize.Height, inputSize.Width));
        }
        finally
        {
            network.train(wasTraining);
        }
    }

    private static IDescribedNetwork For(IDescribedNetwork network, ImageSize inputSize) =>
        network.InputSize == inputSize
            ? network
            : throw new ArgumentException($"The network was built for {network.InputSize}, not {inputSize}.", nameof(inputSize));

    private static long MultiplyAccumulates(IEnumerable<ArithmeticLayer> layers) => layers.Sum(layer => layer.Outputs * layer.FanIn);
}
