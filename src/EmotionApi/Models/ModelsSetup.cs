using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmotionApi.Models;

public static class ModelsSetup
{
    /// <summary>The model registry, the cache of loaded models, thresholds and the ONNX export.</summary>
    public static WebApplicationBuilder AddModels(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<ModelThresholds>();
        builder.Services.AddSingleton<OnnxModelExport>();
        return builder;
    }
}
