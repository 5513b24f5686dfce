using EmotionApi.Learning;
using TorchSharp;

namespace EmotionApi.Learning.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void Torch_loads_and_multiplies_matrices()
    {
        Assert.Null(TorchRuntime.Problem);
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var product = torch.mm(a, a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }
}
