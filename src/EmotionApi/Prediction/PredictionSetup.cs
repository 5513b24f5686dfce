using EmotionApi.Shared;

namespace EmotionApi.Prediction;

public static class PredictionSetup
{
    /// <summary>Options "Prediction", the predictor and the explainer.</summary>
    public static WebApplicationBuilder AddPrediction(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PredictionOptions>(PredictionOptions.Section);
        builder.Services.AddSingleton<ImagePredictor>();
        builder.Services.AddSingleton<ImageExplainer>();
        return builder;
    }
}
