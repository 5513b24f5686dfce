namespace EmotionApi.Prediction;

public static class PredictionSetup
{
    public static WebApplicationBuilder AddPrediction(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
