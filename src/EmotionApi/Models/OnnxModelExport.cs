using EmotionApi.Learning.Export;
using EmotionApi.Shared;

namespace EmotionApi.Models;

/// <summary>A registered model as an ONNX file (<see cref="OnnxExport"/>), written from the loaded model on request.</summary>
public sealed class OnnxModelExport(ModelRegistry registry)
{
    /// <summary>The ONNX graph of <paramref name="model"/>, with its current threshold in the metadata.</summary>
    /// <exception cref="UnavailableException">The model's files no longer load, or its network cannot be exported.</exception>
    public byte[] Export(RegisteredModel model)
    {
        using (var lease = registry.Load(model))
        {
            try
            {
                return OnnxExport.ToBytes(lease.Model, model.Threshold, model.ThresholdOrigin.Rule);
            }
            catch (NotSupportedException e)
            {
                throw new UnavailableException("Export unavailable", $"Model '{model.Id}' cannot be exported to ONNX: {e.Message}", e);
            }
        }
    }
}
