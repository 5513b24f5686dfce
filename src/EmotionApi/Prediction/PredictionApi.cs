using EmotionApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary>POST /api/predict.</summary>
public static class PredictionApi
{
    public static RouteHandlerBuilder MapPredictionEndpoint(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<PredictionOptions>>().Value;
        return app.MapPost("/api/predict", Predict)
            .WithTags("Prediction")
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
    }

    /// <param name="files">The images (JPEG, PNG, GIF, BMP, TIFF, WebP...).</param>
    /// <param name="modelId">The model to use; the default model when omitted.</param>
    /// <param name="modelIdInQuery">The model to use, given in the query string instead of the form.</param>
    /// <param name="request">Its Content-Length is checked against the request limit.</param>
    /// <param name="predictor">Chooses the model and classifies the images.</param>
    /// <param name="options">The request, file-count and file-size limits.</param>
    /// <param name="cancellationToken">The request's: an aborted request stops reading and predicting.</param>
    private static async Task<Ok<PredictionResponse>> Predict(
        IFormFileCollection files,
        [FromForm(Name = "modelId")] string? modelId,
        [FromQuery(Name = "modelId")] string? modelIdInQuery,
        HttpRequest request,
        ImagePredictor predictor,
        IOptions<PredictionOptions> options,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // Kestrel enforces the endpoint's size limit while reading; this covers hosts that do not (TestServer).
        if (request.ContentLength > limits.MaxRequestBytes)
            throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "Request too large",
                $"The request has {request.ContentLength} bytes; the limit is {limits.MaxRequestBytes}.");
        if (files.Count == 0)
            throw ApiProblemException.Validation(new Dictionary<string, string[]>
            {
                ["files"] = ["Send one or more images as multipart/form-data in the field 'files' (or 'file')."],
            });
        if (files.Count > limits.MaxFiles)
            throw ApiProblemException.Validation(new Dictionary<string, string[]>
            {
                ["files"] = [$"At most {limits.MaxFiles} images per request; got {files.Count}."],
            });

        var model = predictor.ChooseModel(modelId ?? modelIdInQuery);
        var uploads = new List<ImagePredictor.Upload>(files.Count);
        foreach (var file in files) uploads.Add(await predictor.ReadAsync(file, cancellationToken));

        var response = await predictor.PredictAsync(model, uploads, cancellationToken);
        if (response.Results.All(result => result.Error is not null))
        {
            var errors = response.Results
                .Select((result, index) => (Key: $"files[{index}]", Message: $"{result.FileName}: {result.Error}"))
                .ToDictionary(pair => pair.Key, pair => new[] { pair.Message });
            if (uploads.All(upload => upload.TooLarge))
                throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, "Image too large",
                    string.Join(" ", errors.Values.Select(messages => messages[0])), errors);
            throw ApiProblemException.Validation(errors);
        }
        return TypedResults.Ok(response);
    }
}
