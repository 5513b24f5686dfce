using EmotionApi.Shared;

namespace EmotionApi.Prediction;

public static class PredictionSetup
{
    /// <summary>Options "Prediction" and "Prediction:Batching", the batcher and the predictor.</summary>
    public static WebApplicationBuilder AddPrediction(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PredictionOptions>(PredictionOptions.Section);
        builder.Services.AddValidatedOptions<BatchingOptions>(BatchingOptions.Section);
        builder.Services.AddSingleton<PredictionBatcher>();
        builder.Services.AddSingleton<ImagePredictor>();
        return builder;
    }
}
