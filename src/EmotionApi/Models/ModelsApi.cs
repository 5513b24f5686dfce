using EmotionApi.Http;
using EmotionApi.Http.Security;
using EmotionApi.RunResults;
using EmotionApi.RunResults.Plots;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EmotionApi.Models;

/// <summary>
/// <c>/api/models</c>: list, read, download (zip or ONNX) and delete models, read their results, choose the default and set
/// their thresholds.
/// </summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        // Reading is for every role; choosing the default model and deleting one are for admin.
        var group = app.MapGroup("/api/models").WithTags("Models").RequireAuthorization(ApiPolicies.ReadModels);

        group.MapGet("", ListModels)
            .WithName("ListModels")
            .WithSummary("List trained models, newest first")
            .WithDescription("Every registered model with its headline test metrics; isDefault marks the one /api/predict uses " +
                             "when a request names no model.");

        group.MapGet("/default", GetDefault)
            .WithName("GetDefaultModel")
            .WithSummary("The model /api/predict uses by default")
            .WithDescription("The model a user chose with PUT /api/models/default, or else the newest. 404 when no model has been " +
                             "trained yet.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/default", ChooseDefault)
            .WithName("ChooseDefaultModel")
            .WithSummary("Choose the model /api/predict uses by default")
            .WithDescription("The choice is kept across restarts. Deleting the chosen model makes the newest the default again.")
            .ProducesValidationProblem()
            .RequireAuthorization(ApiPolicies.Admin);

        group.MapDelete("/default", ClearDefault)
            .WithName("ClearDefaultModelChoice")
            .WithSummary("Forget the chosen default: the newest model is the default again")
            .RequireAuthorization(ApiPolicies.Admin);

        group.MapGet("/{id}", GetModel)
            .WithName("GetModel")
            .WithSummary("A model's manifest")
            .WithDescription("Network, preset, full settings, input size, threshold, dataset, job, creation time and test metrics.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/file", DownloadModel)
            .WithName("DownloadModel")
            .WithSummary("Download a model as a zip")
            .WithDescription("A zip of the weights (TorchSharp format), the manifest (model.json) and the registration " +
                             "(registration.json): what TrainedModel.Load reads.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/history", GetHistory)
            .WithName("GetModelHistory")
            .WithSummary("Per-epoch history of the run that trained a model")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/evaluation", GetEvaluation)
            .WithName("GetModelEvaluation")
            .WithSummary("A model's test-set evaluation at its threshold")
            .WithDescription("Accuracy with Wilson's 95% interval, the p-value of beating the naive baseline, loss, confusion matrix " +
                             "(counts and normalised by true class), per-class precision / recall / F1 / support, ROC AUC with DeLong's " +
                             "95% interval, the test-set size, and how many test images have a near duplicate in training. At the model's " +
                             "current threshold (PUT /api/models/{id}/threshold changes it); a model of the previous version keeps the " +
                             "evaluation at its training threshold, and its AUC interval is null.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/roc", GetRoc)
            .WithName("GetModelRoc")
            .WithSummary("A model's ROC curve and AUC on its test set")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet(RunPlotsApi.Route, GetPlot)
            .WithName("GetModelPlot")
            .WithSummary("A model's learning curves, ROC curve or confusion matrix as PNG or SVG")
            .DescribedAsPlot("model", "A model always has its results. 404 for an unknown model.");

        group.MapPut("/{id}/threshold", ChooseThreshold)
            .WithName("ChooseModelThreshold")
            .WithSummary("Set a model's decision threshold, by hand or by a rule on its validation part")
            .WithDescription(
                "Body: {\"threshold\": 0.42}, or a rule that chooses the threshold from the scores of the model's validation part " +
                "(kept with the model at training; the test set never chooses): {\"rule\": \"youden\"} (the largest sensitivity + " +
                "specificity - 1), {\"rule\": \"precision\", \"target\": 0.9} (the largest recall whose precision reaches 0.9), " +
                "{\"rule\": \"recall\", \"target\": 0.9} (the highest threshold whose recall reaches 0.9). Answers the model with its " +
                "new threshold and how it was chosen (also written to its manifest, model.json, atomically), and the test-set " +
                "evaluation at it. /api/predict and /api/predict/explain label by the new threshold from the next request on. " +
                "400 for a malformed body or a target no threshold reaches on the validation part (the detail gives the best " +
                "there is); 409 for a rule on a model without a validation part (the seed-baseline preset validates on its test " +
                "set): an explicit threshold is always allowed. Models of the previous version start at threshold 0.5, rule \"default\".")
            .Accepts<ThresholdRequest>("application/json")
            .Produces<ThresholdChangeView>()
            // Tuning a model is a trainer's (with the group's ReadModels: trainer or admin).
            .RequireAuthorization(ApiPolicies.Train)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(
                new DocumentedExample("by hand", new ThresholdRequest { Threshold = 0.42 }, Summary: "An explicit threshold"),
                new DocumentedExample("youden", new ThresholdRequest { Rule = "youden" }, Summary: "Youden's J on the validation part"),
                new DocumentedExample("precision", new ThresholdRequest { Rule = "precision", Target = 0.9 }, Summary: "Precision of at least 0.9 on the validation part"),
                new DocumentedExample("recall", new ThresholdRequest { Rule = "recall", Target = 0.95 }, Summary: "Recall of at least 0.95 on the validation part"));

        group.MapGet("/{id}/onnx", DownloadOnnx)
            .WithName("DownloadModelOnnx")
            .WithSummary("Download a model as an ONNX graph")
            .WithDescription(
                "emotion-model-{id}.onnx, opset 13, for any ONNX runtime (ONNX Runtime, ML.NET, Windows ML...). Input 'images': float " +
                "[N, 3, H, W], RGB in [0, 1], at the model's input size (imageHeight x imageWidth of GET /api/models/{id}), prepared " +
                "as the service prepares uploads: transparency flattened onto white, resized ignoring the aspect ratio (bilinear), " +
                "divided by 255; any normalisation the network needs is inside the graph. Output 'positive': float [N], the " +
                "probability of Positive; Positive when above the model's threshold, which the graph's metadata carries ('threshold', " +
                "'class_names', 'network', 'preparation').")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id}", DeleteModel)
            .WithName("DeleteModel")
            .WithSummary("Delete a model")
            .WithDescription("Removes its files and unloads it. If it was the chosen default, the newest remaining model becomes " +
                             "the default. The job that trained it keeps its record.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(ApiPolicies.Admin);

        return app;
    }

    public static Ok<ModelSummary[]> ListModels(ModelRegistry registry)
    {
        var models = registry.List();
        var defaultId = registry.ResolveDefault(models)?.Model.Id;
        return TypedResults.Ok(models.Select(model => ModelSummary.From(model, model.Id == defaultId)).ToArray());
    }

    public static Ok<DefaultModelView> GetDefault(ModelRegistry registry)
    {
        var (model, chosen) = registry.ResolveDefault() ?? throw new NotFoundException(ModelRegistry.NoModelTitle, ModelRegistry.NoModelDetail);
        return TypedResults.Ok(new DefaultModelView(model.Id, chosen, ModelDetails.From(model, isDefault: true)));
    }

    public static Ok<DefaultModelView> ChooseDefault(DefaultModelRequest request, ModelRegistry registry)
    {
        if (string.IsNullOrWhiteSpace(request.ModelId)) throw new ValidationException("modelId", "A model id is required.");
        var model = registry.Find(request.ModelId)
                    ?? throw new ValidationException("modelId", $"There is no model with id '{request.ModelId}'.");
        registry.ChooseDefault(model.Id);
        return TypedResults.Ok(new DefaultModelView(model.Id, true, ModelDetails.From(model, isDefault: true)));
    }

    public static NoContent ClearDefault(ModelRegistry registry)
    {
        registry.ClearDefaultChoice();
        return TypedResults.NoContent();
    }

    public static Ok<ModelDetails> GetModel(string id, ModelRegistry registry)
    {
        var model = Find(registry, id);
        return TypedResults.Ok(ModelDetails.From(model, registry.ResolveDefault()?.Model.Id == model.Id));
    }

    public static FileStreamHttpResult DownloadModel(string id, ModelRegistry registry)
    {
        var model = Find(registry, id);
        return TypedResults.File(registry.OpenArchive(model.Id), "application/zip", $"emotion-model-{model.Id}.zip");
    }

    public static Ok<TrainingHistoryView> GetHistory(string id, ModelRegistry registry)
    {
        var model = Find(registry, id);
        return TypedResults.Ok(TrainingResults.History(model.History, model.BestEpoch));
    }

    public static Ok<EvaluationView> GetEvaluation(string id, ModelRegistry registry)
    {
        var model = Find(registry, id);
        return TypedResults.Ok(TrainingResults.Evaluation(model.EvaluationAtThreshold() ?? model.Evaluation));
    }

    public static async Task<Ok<ThresholdChangeView>> ChooseThreshold(
        string id, HttpRequest request, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ModelThresholds thresholds,
        ModelRegistry registry, CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync<ThresholdRequest>(request, json.Value.SerializerOptions, cancellationToken);
        var model = thresholds.Choose(id, body);
        var evaluation = model.EvaluationAtThreshold();
        return TypedResults.Ok(new ThresholdChangeView(
            ModelDetails.From(model, registry.ResolveDefault()?.Model.Id == model.Id),
            evaluation is null ? null : TrainingResults.Evaluation(evaluation)));
    }

    public static async Task<FileContentHttpResult> DownloadOnnx(string id, ModelRegistry registry, OnnxModelExport export)
    {
        var model = Find(registry, id);
        // Reading every weight into the graph is CPU work: off the request's thread.
        var onnx = await Task.Run(() => export.Export(model));
        return TypedResults.File(onnx, "application/octet-stream", $"emotion-model-{model.Id}.onnx");
    }

    public static Ok<RocView> GetRoc(string id, ModelRegistry registry) =>
        TypedResults.Ok(TrainingResults.Roc(Find(registry, id).Evaluation));

    public static IResult GetPlot(string id, string plot, string format, int? width, int? height, HttpContext context, ModelRegistry registry)
    {
        var request = PlotRequest.Parse(plot, format, width, height);
        var model = Find(registry, id);
        if (request.Kind == PlotKind.History && model.History.Count == 0)
            throw new ConflictException("No history", $"Model '{id}' was registered without its training history: there is no history plot.");
        // At the model's current threshold: the ROC's operating point and the confusion matrix follow a changed threshold.
        return RunPlotsApi.Respond(context, request, new RunPlotData(model.History, model.BestEpoch, model.EvaluationAtThreshold() ?? model.Evaluation));
    }

    public static NoContent DeleteModel(string id, ModelRegistry registry) =>
        registry.Delete(id) ? TypedResults.NoContent() : throw NotFoundException.For("Model", id);

    private static RegisteredModel Find(ModelRegistry registry, string id) =>
        registry.Find(id) ?? throw NotFoundException.For("Model", id);
}
