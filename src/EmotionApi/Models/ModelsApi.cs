using EmotionApi.Infrastructure;
using EmotionApi.Training;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionApi.Models;

/// <summary>The /api/models endpoints.</summary>
public static class ModelsApi
{
    private const string Tag = "Models";

    public static RouteGroupBuilder MapModelsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").WithTags(Tag);

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
            .ProducesValidationProblem();

        group.MapDelete("/default", ClearDefault)
            .WithName("ClearDefaultModelChoice")
            .WithSummary("Forget the chosen default: the newest model is the default again");

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

        group.MapDelete("/{id}", DeleteModel)
            .WithName("DeleteModel")
            .WithSummary("Delete a model")
            .WithDescription("Removes its files and unloads it. If it was the chosen default, the newest remaining model becomes " +
                             "the default. The job that trained it keeps its record.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static Ok<ModelSummary[]> ListModels(ModelRegistry registry)
    {
        var models = registry.List();
        var defaultId = registry.ResolveDefault(models)?.Model.Id;
        return TypedResults.Ok(models.Select(model => ModelSummary.From(model, model.Id == defaultId)).ToArray());
    }

    private static Ok<DefaultModelView> GetDefault(ModelRegistry registry)
    {
        var (model, chosen) = registry.ResolveDefault() ?? throw NoModelYet(StatusCodes.Status404NotFound);
        return TypedResults.Ok(new DefaultModelView(model.Id, chosen, ModelDetails.From(model, isDefault: true)));
    }

    private static Ok<DefaultModelView> ChooseDefault(DefaultModelRequest request, ModelRegistry registry)
    {
        if (string.IsNullOrWhiteSpace(request.ModelId))
            throw ApiProblemException.Validation(new Dictionary<string, string[]> { ["modelId"] = ["A model id is required."] });
        var model = registry.Find(request.ModelId)
                    ?? throw ApiProblemException.Validation(new Dictionary<string, string[]> { ["modelId"] = [$"There is no model with id '{request.ModelId}'."] });
        registry.ChooseDefault(model.Id);
        return TypedResults.Ok(new DefaultModelView(model.Id, true, ModelDetails.From(model, isDefault: true)));
    }

    private static NoContent ClearDefault(ModelRegistry registry)
    {
        registry.ClearDefaultChoice();
        return TypedResults.NoContent();
    }

    private static Ok<ModelDetails> GetModel(string id, ModelRegistry registry)
    {
        var model = Find(registry, id);
        return TypedResults.Ok(ModelDetails.From(model, registry.ResolveDefault()?.Model.Id == model.Id));
    }

    private static FileStreamHttpResult DownloadModel(string id, ModelRegistry registry)
    {
        var model = Find(registry, id);
        return TypedResults.File(registry.OpenArchive(model.Id), "application/zip", $"emotion-model-{model.Id}.zip");
    }

    private static Ok<TrainingHistoryView> GetHistory(string id, ModelRegistry registry)
    {
        var model = Find(registry, id);
        return TypedResults.Ok(TrainingResults.History(model.History, model.BestEpoch));
    }

    private static Ok<EvaluationView> GetEvaluation(string id, ModelRegistry registry) =>
        TypedResults.Ok(TrainingResults.Evaluation(Find(registry, id).Evaluation));

    private static Ok<RocView> GetRoc(string id, ModelRegistry registry) =>
        TypedResults.Ok(TrainingResults.Roc(Find(registry, id).Evaluation));

    private static NoContent DeleteModel(string id, ModelRegistry registry) =>
        registry.Delete(id) ? TypedResults.NoContent() : throw ApiProblemException.NotFound("Model", id);

    private static RegisteredModel Find(ModelRegistry registry, string id) =>
        registry.Find(id) ?? throw ApiProblemException.NotFound("Model", id);

    /// <summary>The answer when no model exists yet (404 for the default model's resource, 409 for /api/predict).</summary>
    public static ApiProblemException NoModelYet(int status) =>
        new(status, "No model yet", "No model has been trained yet: queue a training job (POST /api/training-jobs) and wait for it to succeed.");
}
