using EmotionApi.Learning.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace EmotionApi.Learning.Tests.Explanations;

/// <summary>
/// A network whose answer is known in closed form: a 1x1 convolution that keeps the red channel (its last convolution, at
/// full resolution), global average pooling and a dense layer, so logit = scale x (mean red - 0.2). Grad-CAM's map of it is
/// the red channel itself; covering red lowers its probability of Positive.
/// </summary>
internal sealed class RedDetector : Module<Tensor, Tensor>, ILayeredNetwork
{
    private readonly Conv2d red;
    private readonly AdaptiveAvgPool2d pool;
    private readonly Flatten flatten;
    private readonly Linear head;

    public RedDetector(float scale = 8) : base(nameof(RedDetector))
    {
        red = Conv2d(3, 1, 1);
        pool = AdaptiveAvgPool2d(1);
        flatten = Flatten();
        head = Linear(1, 1);
        using (no_grad())
        {
            red.weight!.copy_(tensor(new float[] { 1, 0, 0 }).reshape(1, 3, 1, 1));
            red.bias!.zero_();
            head.weight!.fill_(scale);
            head.bias!.fill_(-0.2f * scale);
        }
        RegisterComponents();
    }

    public IReadOnlyList<nn.Module> InferenceLayers => [red, pool, flatten, head];

    public override Tensor forward(Tensor images) => head.call(flatten.call(pool.call(red.call(images)))).squeeze(1);
}
