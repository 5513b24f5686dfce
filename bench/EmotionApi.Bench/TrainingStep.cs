using EmotionApi.Learning.Images;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>
/// One optimisation step as the training loop takes it (forward, BCE with logits, backward, Adam or AdamW)
/// on a fixed random batch laid out as the loop's input is (channels_last): the network's share of a step.
/// </summary>
internal sealed class TrainingStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> network;
    private readonly TorchSharp.Modules.OptimizerHelper optimizer;
    private readonly Tensor images;
    private readonly Tensor targets;

    public TrainingStep(
        string networkName, ImageSize size, int batchSize, double learningRate = 1e-3, double weightDecay = 0, bool channelsLast = true, bool composeFirstConvolutions = true)
    {
        torch.manual_seed(1);
        network = NetworkCatalog.Create(networkName, size, channelsLast, composeFirstConvolutions);
        network.train();
        optimizer = weightDecay > 0
            ? optim.AdamW(network.parameters(), learningRate, weight_decay: weightDecay)
            : optim.Adam(network.parameters(), learningRate);
        using (var plain = rand(batchSize, 3, size.Height, size.Width))
            images = ChannelsLast.Of(plain).DetachFromDisposeScope();
        targets = arange(batchSize).remainder(2).to_type(ScalarType.Float32).DetachFromDisposeScope();
        Network = networkName;
        Size = size;
        BatchSize = batchSize;
        MultiplyAccumulates = NetworkCost.ForwardMultiplyAccumulates(network, size);
        ExecutedMultiplyAccumulates = NetworkCost.ExecutedForwardMultiplyAccumulates(network, size);
        network.train();
    }

    public string Network { get; }
    public ImageSize Size { get; }
    public int BatchSize { get; }

    /// <summary>Forward multiply-accumulates per image, of the network's layers as specified.</summary>
    public long MultiplyAccumulates { get; }

    /// <summary>Forward multiply-accumulates per image the forward pass executes (fewer when it composes layers).</summary>
    public long ExecutedMultiplyAccumulates { get; }

    /// <summary>
    /// Floating-point operations of one training step: forward 2 x MACs, backward twice the forward. Counted on the
    /// network's layers as specified: the article network's composed first convolution executes fewer.
    /// </summary>
    public double TrainingFlops => 6.0 * MultiplyAccumulates * BatchSize;

    public nn.Module<Tensor, Tensor> Model => network;

    public void Run()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var logits = network.forward(images);
        var loss = nn.functional.binary_cross_entropy_with_logits(logits, targets);
        loss.backward();
        optimizer.step();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        network.Dispose();
        images.Dispose();
        targets.Dispose();
    }
}
