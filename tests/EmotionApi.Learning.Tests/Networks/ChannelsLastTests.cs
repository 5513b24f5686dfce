using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Networks;

public class ChannelsLastTests
{
    [Fact]
    public void Keeps_shape_and_values_and_stores_channels_innermost()
    {
        using var batch = arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        using var packed = ChannelsLast.Of(batch);
        Assert.Equal(batch.shape, packed.shape);
        Assert.True(packed.equal(batch).all().item<bool>());
        Assert.Equal(new long[] { 60, 1, 15, 3 }, packed.stride());
        Assert.True(ChannelsLast.Is(packed));
        Assert.False(ChannelsLast.Is(batch));
    }

    [Fact]
    public void Networks_give_the_same_logits_for_either_layout_of_the_input()
    {
        using var network = new CompactCnn();
        network.eval();
        using var _ = no_grad();
        using var batch = rand(2, 3, 40, 48);
        using var packed = ChannelsLast.Of(batch);
        using var fromPlain = network.call(batch);
        using var fromPacked = network.call(packed);
        Assert.True(fromPlain.allclose(fromPacked, rtol: 1e-5, atol: 1e-6));
    }
}
