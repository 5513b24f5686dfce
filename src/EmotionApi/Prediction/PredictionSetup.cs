using EmotionApi.Http;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

public static class PredictionSetup
{
    /// <summary>The request timeout policy of /api/predict (<see cref="PredictionOptions.TimeoutSeconds"/>).</summary>
    public const string TimeoutPolicy = "predict";

    /// <summary>Options "Prediction" and "Prediction:Batching", the batcher, the predictor, the explainer, and the request timeout of /api/predict (and /explain).</summary>
    public static WebApplicationBuilder AddPrediction(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PredictionOptions>(PredictionOptions.Section);
        builder.Services.AddValidatedOptions<BatchingOptions>(BatchingOptions.Section);
        builder.Services.AddSingleton<PredictionBatcher>();
        builder.Services.AddSingleton<ImagePredictor>();
        builder.Services.AddSingleton<ImageExplainer>();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<PredictionOptions>>((timeouts, prediction) =>
        {
            var seconds = prediction.Value.TimeoutSeconds;
            timeouts.AddPolicy(TimeoutPolicy, new RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(seconds),
                // The service could not answer in time: 503, as for an overloaded service, worth a retry.
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = context => ProblemWriter.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Prediction timed out",
                    $"The request did not finish within {seconds:0.###} s (Prediction:TimeoutSeconds) and was cancelled. Send fewer or smaller " +
                    "images per request, or retry when the service is less busy."),
            });
        });
        return builder;
    }
}
