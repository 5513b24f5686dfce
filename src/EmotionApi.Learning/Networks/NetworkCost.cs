using EmotionApi.Learning.Images;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Networks;

/// <summary>What a network costs: trainable parameters and arithmetic per image.</summary>
public static class NetworkCost
{
    /// <summary>Number of trainable parameters (Keras' "Trainable params").</summary>
    public static long TrainableParameters(nn.Module network) =>
        network.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>
    /// Multiply-accumulates of one forward pass of one image, counted over convolutions and dense layers
    /// (the usual convention: normalisation, activations and pooling are memory-bound and left out).
    /// Floating-point operations: forward about 2 x MACs, a training step about 3 x forward.
    /// </summary>
    public static long ForwardMultiplyAccumulates(string networkName, ImageSize inputSize)
    {
        using var network = NetworkCatalog.Create(networkName, inputSize);
        return ForwardMultiplyAccumulates(network, inputSize);
    }

    /// <summary>
    /// As above for a network instance: the seed network declares its count (its forward pass runs conv1 and
    /// conv2 composed, which hooks do not see); others are counted by running one blank image through them in
    /// eval mode, their mode restored.
    /// </summary>
    public static long ForwardMultiplyAccumulates(nn.Module<Tensor, Tensor> network, ImageSize inputSize)
    {
        if (network is SeedBaselineNetwork seed)
        {
            if (seed.InputSize != inputSize) throw new ArgumentException($"The network was built for {seed.InputSize}, not {inputSize}.", nameof(inputSize));
            return seed.ForwardMultiplyAccumulates;
        }
        long total = 0;
        var removeHooks = new List<Action>();
        try
        {
            foreach (var module in network.modules())
            {
                switch (module)
                {
                    case Conv2d conv:
                        removeHooks.Add(conv.register_forward_hook((_, _, output) =>
                        {
                            // Each output element sums (in_channels / groups) x kernel area products.
                            var perOutput = conv.weight!.shape[1] * conv.weight.shape[2] * conv.weight.shape[3];
                            total += output.numel() * perOutput;
                            return output;
                        }).remove);
                        break;
                    case Linear dense:
                        removeHooks.Add(dense.register_forward_hook((_, _, output) =>
                        {
                            total += output.numel() * dense.in_features;
                            return output;
                        }).remove);
                        break;
                }
            }
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
        finally
        {
            foreach (var remove in removeHooks) remove();
        }
        return total;
    }
}
