using EmotionApi.Learning.Images;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EmotionApi.Tests.Shared;

/// <summary>
/// Runs an exported model in ONNX Runtime, the reference the export is checked against: images in as the graph's
/// contract says (float [N, 3, H, W], RGB in [0, 1]), probabilities out. Linked into the web tests too (not into
/// tests/Shared: the browser tests do not reference ONNX Runtime).
/// </summary>
internal static class OnnxRuntimeReference
{
    /// <summary>The graph's one input and one output, by name and dimensions (-1 for a symbolic one).</summary>
    public static (string Input, int[] InputDims, string Output, int[] OutputDims) Signature(byte[] onnx)
    {
        using var session = new InferenceSession(onnx);
        var input = session.InputMetadata.Single();
        var output = session.OutputMetadata.Single();
        return (input.Key, input.Value.Dimensions, output.Key, output.Value.Dimensions);
    }

    public static float[] Run(byte[] onnx, IReadOnlyList<PreparedImage> images, string input = "images", string output = "positive")
    {
        var size = images[0].Size;
        var data = new float[images.Count * 3 * size.Height * size.Width];
        var plane = size.Height * size.Width;
        for (var n = 0; n < images.Count; n++)
        {
            var pixels = images[n].Pixels;
            for (var i = 0; i < plane; i++)
            for (var c = 0; c < 3; c++)
                data[(n * 3 + c) * plane + i] = pixels[i * 3 + c] / 255f;
        }
        using var session = new InferenceSession(onnx);
        var tensor = new DenseTensor<float>(data, [images.Count, 3, size.Height, size.Width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
        return results.Single(result => result.Name == output).AsTensor<float>().ToArray();
    }
}
