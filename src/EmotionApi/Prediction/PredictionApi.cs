using EmotionApi.Http.Security;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary><c>/api/predict</c>: classify images with a trained model.</summary>
public static class PredictionApi
{
    private const string ModelIdField = "modelId";

    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<PredictionOptions>>().Value;
        var api = app.MapGroup("/api/predict").WithTags("Prediction")
            .RequireAuthorization(ApiPolicies.Predict)
            .RequireRateLimiting(RateLimitPolicies.Predict);
        api.WithRequestTimeout(PredictionSetup.TimeoutPolicy);

        api.MapPost("", Predict)
            .WithName("Predict")
            .WithSummary("Classify images as Positive or Negative")
            .WithDescription(
                "Multipart form: one or more images in the repeatable field 'files' (a single 'file' works too; every file part is " +
                $"taken, in order, at most {options.MaxFiles}), and optionally 'modelId' (query string or form field; the default " +
                "model otherwise, see GET /api/models/default). Each image is prepared exactly as in training (transparency " +
                "flattened onto white, resized to the model's input size, scaled to [0, 1]). Results come in the order sent: " +
                "positive and negative probabilities (summing to 1) and the label at the model's threshold. An image that cannot " +
                "be used gets an 'error' and no probabilities, and the others are still answered (200). When no image at all can " +
                "be used, the answer is a problem: 400 naming each file (files[0], files[1]...), or 413 when every file is over " +
                "the size limit. 409 when no model has been trained yet; 404 for an unknown modelId; 413 for a request over " +
                $"{options.MaxRequestBytes} bytes; 503 when the request takes longer than {options.TimeoutSeconds:0.###} s.")
            .Accepts<PredictionForm>("multipart/form-data")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBytes))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    /// <param name="modelId">The model to use; the default model when omitted. A form field 'modelId' works too.</param>
    /// <param name="request">Its form holds the images (and may name the model); its Content-Length is checked against the limit.</param>
    /// <param name="predictor">Chooses the model and classifies the images.</param>
    /// <param name="options">The request size limit.</param>
    /// <param name="cancellationToken">The request's: an aborted or timed-out request stops reading and predicting.</param>
    public static async Task<Ok<PredictionResponse>> Predict(
        [FromQuery] string? modelId,
        HttpRequest request,
        ImagePredictor predictor,
        IOptions<PredictionOptions> options,
        CancellationToken cancellationToken)
    {
        var maxRequestBytes = options.Value.MaxRequestBytes;
        // Kestrel enforces the endpoint's size limit while reading; this covers hosts that do not (TestServer).
        if (request.ContentLength > maxRequestBytes)
            throw new InputTooLargeException("Request too large", $"The request has {request.ContentLength} bytes; the limit is {maxRequestBytes}.");
        if (!request.HasFormContentType)
            throw new UnsupportedMediaTypeException("Unsupported media type", "Send the images as multipart/form-data in the field 'files'.");

        // Read whole, not cancelled midway: HTTP/1.1 cannot answer a request whose body was left half read (the connection
        // is reset), and a slow sender is Kestrel's minimum data rate's business. A request that outlasted its timeout
        // while uploading is answered (503) here, before any work.
        var form = await request.ReadFormAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        var files = form.Files;
        var images = files
            .Select(file => new PredictionImage(string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName, file.Length, file.OpenReadStream))
            .ToList();
        // The document names the model once, as the query parameter, so that generated clients get one 'modelId' argument.
        var formModelId = form[ModelIdField].FirstOrDefault();
        return TypedResults.Ok(await predictor.PredictAsync(formModelId ?? modelId, images, cancellationToken));
    }
}
