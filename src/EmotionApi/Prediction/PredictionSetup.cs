namespace EmotionApi.Prediction;

public static class PredictionSetup
{
    /// <summary>Options "Prediction" and the predictor.</summary>
    public static WebApplicationBuilder AddPrediction(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PredictionOptions>()
            .BindConfiguration(PredictionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ImagePredictor>();
        return builder;
    }
}
