using EmotionApi.Learning.Export;
using EmotionApi.Learning.Models;
using EmotionApi.Shared;

namespace EmotionApi.Models;

/// <summary>A registered model as an ONNX file (<see cref="OnnxExport"/>), written from the loaded model on request.</summary>
public sealed class OnnxModelExport(ModelRegistry registry, ModelCache cache)
{
    /// <summary>The ONNX graph of <paramref name="model"/>, with its current threshold in the metadata.</summary>
    /// <exception cref="UnavailableException">The model's files no longer load, or its network cannot be exported.</exception>
    public byte[] Export(RegisteredModel model)
    {
        ModelLease lease;
        try
        {
            lease = cache.Acquire(model.Id, registry.ModelDirectory(model.Id));
        }
        catch (InvalidModelException e)
        {
            throw new UnavailableException("Model unavailable", $"Model '{model.Id}' cannot be loaded: {e.Message}", e);
        }
        using (lease)
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
