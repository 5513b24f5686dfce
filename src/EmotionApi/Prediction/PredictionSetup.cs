namespace EmotionApi.Prediction;

public static class PredictionSetup
{
    public static WebApplicationBuilder AddPrediction(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PredictionOptions>()
            .BindConfiguration(PredictionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ImagePredictor>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder app)
    {
        app.MapPredictionEndpoint();
        return app;
    }
}
