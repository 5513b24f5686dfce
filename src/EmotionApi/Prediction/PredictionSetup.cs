using EmotionApi.Shared;

namespace EmotionApi.Prediction;

public static class PredictionSetup
{
    /// <summary>Options "Prediction" and the predictor.</summary>
    public static WebApplicationBuilder AddPrediction(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PredictionOptions>(PredictionOptions.Section);
        builder.Services.AddSingleton<ImagePredictor>();
        return builder;
    }
}
