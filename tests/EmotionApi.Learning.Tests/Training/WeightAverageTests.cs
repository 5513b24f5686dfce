using EmotionApi.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Training;

public sealed class WeightAverageTests
{
    private static float Weight(TinyNetwork network) => network.parameters().First().data<float>()[0];

    private static void SetWeights(TinyNetwork network, float value)
    {
        using var noGrad = no_grad();
        foreach (var parameter in network.parameters()) parameter.fill_(value);
    }

    [Fact]
    public void The_average_follows_the_weights_with_a_decay_that_ramps_up()
    {
        using var network = new TinyNetwork();
        SetWeights(network, 0);
        using var average = new WeightAverage(network, decay: 0.5);

        SetWeights(network, 1);
        average.Update();   // rate min(0.5, 2 / 11): 0 x 2/11 + 1 x 9/11
        SetWeights(network, 2);
        average.Update();   // rate min(0.5, 3 / 12) = 0.25

        using (average.Swap())
            Assert.Equal((9f / 11) * 0.25f + 2 * 0.75f, Weight(network), 5);
        Assert.Equal(2f, Weight(network));
        Assert.Equal(2, average.Updates);
    }

    [Fact]
    public void Later_updates_use_the_full_decay()
    {
        using var network = new TinyNetwork();
        SetWeights(network, 0);
        using var average = new WeightAverage(network, decay: 0.9);
        for (var i = 0; i < 200; i++) average.Update();
        SetWeights(network, 1);

        average.Update();

        average.CopyToNetwork();
        Assert.Equal(0.1f, Weight(network), 5);
    }

    [Fact]
    public void Batch_norm_statistics_are_averaged_and_its_step_count_copied()
    {
        using var network = new TinyNetwork();
        using var average = new WeightAverage(network, decay: 0.5);
        network.train();
        using (var images = rand(8, 3, 8, 8)) network.call(images).Dispose();
        var runningMean = network.state_dict().Single(entry => entry.Key.EndsWith("running_mean", StringComparison.Ordinal)).Value.detach().clone();

        average.Update();   // rate min(0.5, 2 / 11)

        average.CopyToNetwork();
        var state = network.state_dict();
        Assert.True(state.Single(entry => entry.Key.EndsWith("running_mean", StringComparison.Ordinal)).Value.allclose(runningMean * (9f / 11), rtol: 1e-5, atol: 1e-7));
        Assert.Equal(1L, state.Single(entry => entry.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Value.item<long>());
    }

    [Fact]
    public void A_serialised_average_restores_into_another_networks_average()
    {
        using var network = new TinyNetwork();
        using var average = new WeightAverage(network, decay: 0.7);
        SetWeights(network, 3);
        average.Update();
        average.Update();
        using var other = new TinyNetwork();
        using var restored = new WeightAverage(other, decay: 0.7);

        restored.Restore(average.Serialize());

        Assert.Equal(2, restored.Updates);
        average.CopyToNetwork();
        restored.CopyToNetwork();
        Assert.All(network.parameters().Zip(other.parameters()), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
        // Another network has another number of tensors.
        using var wider = new TinyNetwork();
        using var foreign = new WeightAverage(wider, 0.7);
        Assert.Throws<InvalidDataException>(() => foreign.Restore([.. BitConverter.GetBytes(1L), .. BitConverter.GetBytes(3)]));
    }
}
