namespace EmotionApi.Models;

public static class ModelsSetup
{
    public static WebApplicationBuilder AddModels(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
