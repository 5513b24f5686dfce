using EmotionApi.Http.Security;
using EmotionApi.RunResults;
using EmotionApi.RunResults.Plots;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionApi.Models;

/// <summary><c>/api/models</c>: list, read, download and delete models, read their results, choose the default.</summary>
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
            .WithSummary("A model's test-set evaluation")
            .WithDescription("Accuracy, loss, confusion matrix (counts and normalised by true class), per-class precision / recall / " +
                             "F1 / support, the naive baseline's accuracy and the test-set size.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/roc", GetRoc)
            .WithName("GetModelRoc")
            .WithSummary("A model's ROC curve and AUC on its test set")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet(RunPlotsApi.Route, GetPlot)
            .WithName("GetModelPlot")
            .WithSummary("A model's learning curves, ROC curve or confusion matrix as PNG or SVG")
            .DescribedAsPlot("model", "A model always has its results. 404 for an unknown model.");

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

    public static Ok<EvaluationView> GetEvaluation(string id, ModelRegistry registry) =>
        TypedResults.Ok(TrainingResults.Evaluation(Find(registry, id).Evaluation));

    public static Ok<RocView> GetRoc(string id, ModelRegistry registry) =>
        TypedResults.Ok(TrainingResults.Roc(Find(registry, id).Evaluation));

    public static IResult GetPlot(string id, string plot, string format, int? width, int? height, HttpContext context, ModelRegistry registry)
    {
        var request = PlotRequest.Parse(plot, format, width, height);
        var model = Find(registry, id);
        if (request.Kind == PlotKind.History && model.History.Count == 0)
            throw new ConflictException("No history", $"Model '{id}' was registered without its training history: there is no history plot.");
        return RunPlotsApi.Respond(context, request, new RunPlotData(model.History, model.BestEpoch, model.Evaluation));
    }

    public static NoContent DeleteModel(string id, ModelRegistry registry) =>
        registry.Delete(id) ? TypedResults.NoContent() : throw NotFoundException.For("Model", id);

    private static RegisteredModel Find(ModelRegistry registry, string id) =>
        registry.Find(id) ?? throw NotFoundException.For("Model", id);
}
