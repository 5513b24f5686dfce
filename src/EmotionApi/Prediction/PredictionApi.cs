using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary><c>/api/predict</c>: classify images with a trained model.</summary>
public static class PredictionApi
{
    public static IEndpointRouteBuilder MapPredictionApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<PredictionOptions>>().Value;
        var api = app.MapGroup("/api/predict").WithTags("Prediction");

        api.MapPost("", Predict)
            .WithName("Predict")
            .WithSummary("Classify images as Positive or Negative")
            .WithDescription(
                "Multipart form: one or more images in the repeatable field 'files' (a single 'file' works too; every file part is " +
                $"taken, in order, at most {options.MaxFiles}), and optionally 'modelId' (form field or query string; the default " +
                "model otherwise, see GET /api/models/default). Each image is prepared exactly as in training (transparency " +
                "flattened onto white, resized to the model's input size, scaled to [0, 1]). Results come in the order sent: " +
                "positive and negative probabilities (summing to 1) and the label at the model's threshold. An image that cannot " +
                "be used gets an 'error' and no probabilities, and the others are still answered (200). When no image at all can " +
                "be used, the answer is a problem: 400 naming each file (files[0], files[1]...), or 413 when every file is over " +
                "the size limit. 409 when no model has been trained yet; 404 for an unknown modelId; 413 for a request over " +
                $"{options.MaxRequestBytes} bytes.")
            .Accepts<IFormFileCollection>("multipart/form-data")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBytes))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        return app;
    }

    /// <param name="files">The images (JPEG, PNG, GIF, BMP, TIFF, WebP...).</param>
    /// <param name="modelId">The model to use; the default model when omitted.</param>
    /// <param name="modelIdInQuery">The model to use, given in the query string instead of the form.</param>
    /// <param name="request">Its Content-Length is checked against the request limit.</param>
    /// <param name="predictor">Chooses the model and classifies the images.</param>
    /// <param name="options">The request size limit.</param>
    /// <param name="cancellationToken">The request's: an aborted request stops reading and predicting.</param>
    public static async Task<Ok<PredictionResponse>> Predict(
        IFormFileCollection files,
        [FromForm(Name = "modelId")] string? modelId,
        [FromQuery(Name = "modelId")] string? modelIdInQuery,
        HttpRequest request,
        ImagePredictor predictor,
        IOptions<PredictionOptions> options,
        CancellationToken cancellationToken)
    {
        var maxRequestBytes = options.Value.MaxRequestBytes;
        // Kestrel enforces the endpoint's size limit while reading; this covers hosts that do not (TestServer).
        if (request.ContentLength > maxRequestBytes)
            throw new InputTooLargeException("Request too large", $"The request has {request.ContentLength} bytes; the limit is {maxRequestBytes}.");

        var images = files
            .Select(file => new PredictionImage(string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName, file.Length, file.OpenReadStream))
            .ToList();
        return TypedResults.Ok(await predictor.PredictAsync(modelId ?? modelIdInQuery, images, cancellationToken));
    }
}
