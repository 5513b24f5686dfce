using EmotionApi.Http;
using EmotionApi.Http.Security;
using EmotionApi.Learning.Explanations;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary><c>/api/predict</c>: classify images with a trained model; <c>/api/predict/explain</c>: show why, for one image.</summary>
public static class PredictionApi
{
    private const string ModelIdField = "modelId";
    private const string MethodField = "method";

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

        api.MapPost("/explain", Explain)
            .WithName("ExplainPrediction")
            .WithSummary("Show which regions of an image drove the model's label")
            .WithDescription(
                "Multipart form: one image in 'file'; optionally 'modelId' (query string or form field; the default model " +
                "otherwise) and 'method' (query string or form field). The heat shows what pushed the model towards its label: what raised the probability " +
                "of Positive for a Positive label, what lowered it for a Negative one. Method 'gradCam' weighs the last " +
                "convolution's feature maps by the gradient of the label's logit (Grad-CAM); 'occlusion' slides a patch of the " +
                "image's mean colour over it and measures how far covering each region moves the probability. When 'method' is " +
                "left out, Grad-CAM is used where the last convolution's map is at least 6x6 (the default preset's 96x96, " +
                "seed-baseline, resnet18), occlusion where it is coarser (the tiny preset's 32x32: 2x2). Occlusion, asked for " +
                "by name, is sharper and costs about 225 passes through the network. Answers a PNG of the image (at most " +
                $"{ImageExplainer.MaxOverlaySide} pixels on its longer side) with the heatmap over it, blue (none) to red (the " +
                "most), by default or with 'Accept: image/png'; with 'Accept: application/json' the numbers: positive, negative, " +
                "label, width and height of the heatmap (the model's input size) and heatmap (rows of values in [0, 1]). 400 " +
                "when there is not exactly one usable image or the method is unknown, 413 for an image over the size limit, 404 " +
                "for an unknown modelId, 409 when no model has been trained yet, 415 for a body that is not a multipart form, " +
                $"503 when the request takes longer than {options.TimeoutSeconds:0.###} s.")
            .Accepts<ExplainForm>("multipart/form-data")
            .Produces(StatusCodes.Status200OK, typeof(ExplanationView), "application/json", "image/png")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBytes))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new DocumentedExample("a smiling face", ExplanationExample, StatusCodes.Status200OK,
                "A 4x4 heatmap for brevity: a real one has the model's input size"));

        return app;
    }

    private static readonly ExplanationView ExplanationExample = new(
        "4c1f0a9e27b3", "happy.png", 0.93, 0.07, "Positive", 0.5, ExplanationMethod.Occlusion, 4, 4,
        [[0f, 0.02f, 0.01f, 0f], [0.05f, 0.1f, 0.12f, 0.04f], [0.2f, 0.85f, 1f, 0.3f], [0.02f, 0.4f, 0.45f, 0.03f]]);

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
        var form = await ReadFormAsync(request, options.Value, "Send the images as multipart/form-data in the field 'files'.", cancellationToken);
        var images = form.Files.Select(Image).ToList();
        // The document names the model once, as the query parameter, so that generated clients get one 'modelId' argument.
        var formModelId = form[ModelIdField].FirstOrDefault();
        return TypedResults.Ok(await predictor.PredictAsync(formModelId ?? modelId, images, cancellationToken));
    }

    /// <param name="modelId">The model to use; the default model when omitted. A form field 'modelId' works too.</param>
    /// <param name="method">gradCam or occlusion; the service chooses when omitted. A form field 'method' works too.</param>
    /// <param name="request">Its form holds the image; its Accept header chooses PNG or JSON.</param>
    /// <param name="explainer">Chooses the model and explains the image.</param>
    /// <param name="options">The request size limit.</param>
    /// <param name="cancellationToken">The request's: an aborted or timed-out request stops reading and explaining.</param>
    public static async Task<Results<FileContentHttpResult, Ok<ExplanationView>>> Explain(
        [FromQuery] string? modelId,
        [FromQuery] string? method,
        HttpRequest request,
        ImageExplainer explainer,
        IOptions<PredictionOptions> options,
        CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(request, options.Value, "Send one image as multipart/form-data in the field 'file'.", cancellationToken);
        if (form.Files.Count != 1)
            throw new ValidationException("file", form.Files.Count == 0
                ? "Send one image as multipart/form-data in the field 'file'."
                : $"Send one image to explain; got {form.Files.Count} files (POST /api/predict classifies many).");

        var explained = await explainer.ExplainAsync(form[ModelIdField].FirstOrDefault() ?? modelId, Image(form.Files[0]),
            form[MethodField].FirstOrDefault() ?? method, cancellationToken);
        if (PrefersJson(request))
            return TypedResults.Ok(ExplanationView.From(explained));
        var png = await Task.Run(() => explainer.Overlay(explained), cancellationToken);
        return TypedResults.File(png, "image/png", Path.ChangeExtension(Path.GetFileName(explained.FileName), null) + "-explained.png");
    }

    /// <summary>The request's multipart form, read whole, after the checks every upload of this group gets.</summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, PredictionOptions options, string formExpected, CancellationToken cancellationToken)
    {
        // Kestrel enforces the endpoint's size limit while reading; this covers hosts that do not (TestServer).
        if (request.ContentLength > options.MaxRequestBytes)
            throw new InputTooLargeException("Request too large", $"The request has {request.ContentLength} bytes; the limit is {options.MaxRequestBytes}.");
        if (!request.HasFormContentType)
            throw new UnsupportedMediaTypeException("Unsupported media type", formExpected);

        // Read whole, not cancelled midway: HTTP/1.1 cannot answer a request whose body was left half read (the connection
        // is reset), and a slow sender is Kestrel's minimum data rate's business. A request that outlasted its timeout
        // while uploading is answered (503) here, before any work.
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(CancellationToken.None);
        }
        catch (IOException e) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new OperationCanceledException("The client went away during the upload.", e, request.HttpContext.RequestAborted);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            // Kestrel's refusals (a chunked body over the size limit, a client too slow) keep their own status.
            throw InputRefusedException.UnclosedMultipart();
        }
        cancellationToken.ThrowIfCancellationRequested();
        return form;
    }

    private static PredictionImage Image(IFormFile file) =>
        new(string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName, file.Length, file.OpenReadStream);

    /// <summary>JSON when the Accept header ranks application/json above image/png (or lists only JSON); PNG otherwise, by default.</summary>
    private static bool PrefersJson(HttpRequest request)
    {
        foreach (var accepted in request.GetTypedHeaders().Accept.OrderByDescending(value => value.Quality ?? 1))
        {
            if (accepted.MatchesMediaType("application/json")) return !accepted.MatchesAllTypes;
            if (accepted.MatchesMediaType("image/png")) return false;
        }
        return false;
    }
}
