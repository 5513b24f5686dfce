using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Networks;

/// <summary>
/// A network that lists its convolutions and dense layers itself. <see cref="NetworkCost"/> counts other networks by
/// watching which layer modules a forward pass calls; a network whose forward pass computes a layer some other way
/// (the article's network composes its first two convolutions into one) describes its layers instead.
/// </summary>
public interface IDescribedNetwork
{
    /// <summary>The input size the description is for.</summary>
    ImageSize InputSize { get; }

    /// <summary>The layers as the architecture specifies them, in forward order.</summary>
    IReadOnlyList<ArithmeticLayer> SpecifiedLayers { get; }

    /// <summary>The layers the forward pass runs, in order: <see cref="SpecifiedLayers"/> unless it computes some of them differently.</summary>
    IReadOnlyList<ArithmeticLayer> ExecutedLayers { get; }
}
