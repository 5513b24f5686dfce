using EmotionApi.Http.Security;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionApi.Training;

/// <summary><c>/api/presets</c>: the presets and networks a training job can use, so clients need not hard-code them.</summary>
public static class PresetsApi
{
    public static IEndpointRouteBuilder MapPresetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/presets", ListPresets)
            .WithTags("Training jobs")
            .WithName("ListTrainingPresets")
            .WithSummary("The training presets with their settings, and the networks with the image sizes they take")
            .WithDescription("A job names a preset (or gets the default) and may override any of its settings; the image height and " +
                             "width must lie within its network's range.")
            .RequireAuthorization(ApiPolicies.Train);
        return app;
    }

    public static Ok<PresetCatalogView> ListPresets() => TypedResults.Ok(new PresetCatalogView(
        TrainingPresets.Default,
        TrainingPresets.Names.Select(name => new PresetView(name, TrainingPresets.Get(name))).ToList(),
        NetworkCatalog.Names.Select(name =>
        {
            var (min, max) = NetworkCatalog.SupportedSide(name);
            return new NetworkView(name, min, max);
        }).ToList()));
}
