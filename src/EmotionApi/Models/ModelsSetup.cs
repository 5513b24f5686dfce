using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmotionApi.Models;

public static class ModelsSetup
{
    /// <summary>The model registry and the cache of loaded models.</summary>
    public static WebApplicationBuilder AddModels(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<ModelRegistry>();
        return builder;
    }
}
