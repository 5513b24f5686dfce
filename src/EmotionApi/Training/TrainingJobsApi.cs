using System.Security.Claims;
using EmotionApi.Datasets;
using EmotionApi.Http;
using EmotionApi.Http.Security;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.RunResults;
using EmotionApi.RunResults.Plots;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EmotionApi.Training;

/// <summary><c>/api/training-jobs</c>: queue, list, read, cancel and delete training jobs, and read their results.</summary>
public static class TrainingJobsApi
{
    public static IEndpointRouteBuilder MapTrainingJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/training-jobs").WithTags("Training jobs").RequireAuthorization(ApiPolicies.Train);

        group.MapPost("", QueueJob)
            .WithName("QueueTrainingJob")
            .WithSummary("Queue a training job")
            .WithDescription(
                "Queues a run on a dataset with a preset (\"default\" when omitted, \"tiny\" for a run of seconds, \"seed-baseline\" " +
                "for the original article's settings) and any overrides. Answers 202 with the job and its URL in Location; poll " +
                "that URL until the state is succeeded, failed or cancelled. Invalid settings get a 400 naming every bad field, " +
                "and no job is created. A key may have a limited number of queued and running jobs at once: one more gets a 429 " +
                "(without Retry-After: it frees when one of the key's jobs finishes).")
            .Accepts<TrainingJobRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireRateLimiting(RateLimitPolicies.Jobs);

        group.MapGet("", ListJobs)
            .WithName("ListTrainingJobs")
            .WithSummary("List training jobs, newest first")
            .WithDescription("Every job the service knows, finished ones included (they survive restarts).");

        group.MapGet("/{id}", GetJob)
            .WithName("GetTrainingJob")
            .WithSummary("Get a training job: state, progress, latest metrics")
            .WithDescription("State (queued, running, succeeded, failed, cancelled), stage, progress with a time estimate, the last " +
                             "epoch's metrics, the error of a failed job, the model of a succeeded one, and the full effective settings.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/history", GetHistory)
            .WithName("GetTrainingJobHistory")
            .WithSummary("Per-epoch history of a job")
            .WithDescription("Train and validation loss and accuracy, learning rate and seconds per finished epoch. Available " +
                             "while the job runs (the epochs finished so far); empty while it is queued.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/evaluation", GetEvaluation)
            .WithName("GetTrainingJobEvaluation")
            .WithSummary("Test-set evaluation of a succeeded job")
            .WithDescription("Accuracy, loss, the confusion matrix (counts and normalised by true class), precision / recall / F1 / " +
                             "support per class, the naive baseline's accuracy and the test-set size. 404 when there is no such job; " +
                             "409 when the job exists but has not succeeded (yet): the evaluation is made at the end of a run.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{id}/roc", GetRoc)
            .WithName("GetTrainingJobRoc")
            .WithSummary("ROC curve and AUC of a succeeded job")
            .WithDescription("Points (falsePositiveRate, truePositiveRate, threshold) from (0, 0) at threshold Infinity to (1, 1), as " +
                             "scikit-learn's roc_curve, and the area under the curve. 404 when there is no such job; 409 when it has " +
                             "not succeeded (yet).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/{id}/split", GetSplit)
            .WithName("GetTrainingJobSplit")
            .WithSummary("How many images a succeeded job trained, validated and tested on")
            .WithDescription("Counts per part of the split, and per class while the dataset exists. 409 before the job has succeeded.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet(RunPlotsApi.Route, GetPlot)
            .WithName("GetTrainingJobPlot")
            .WithSummary("A job's learning curves, ROC curve or confusion matrix as PNG or SVG")
            .DescribedAsPlot("job",
                "The history plot exists once an epoch has finished (it grows while the job runs); the ROC and confusion " +
                "plots once the job has succeeded: 409 before. 404 for an unknown job.");

        group.MapPost("/{id}/cancel", CancelJob)
            .WithName("CancelTrainingJob")
            .WithSummary("Cancel a queued or running job")
            .WithDescription("A queued job is cancelled at once; a running one stops at its next batch (within seconds) and " +
                             "registers no model. Answers 202 with the job: poll it until its state is cancelled. 409 when the job " +
                             "has finished already.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", DeleteJob)
            .WithName("DeleteTrainingJob")
            .WithSummary("Delete a finished job's record, or cancel an unfinished job")
            .WithDescription("On a finished job (succeeded, failed, cancelled): removes its record and results (204); the model it " +
                             "produced stays (DELETE /api/models/{id} removes it). On a queued or running job: the same as POST " +
                             "/cancel (202 with the job); delete it again once it is cancelled to remove the record.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Accepted<TrainingJobView>> QueueJob(
        HttpRequest request, ClaimsPrincipal user, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        TrainingSettingsResolver resolver, TrainingJobQueue queue, CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync<TrainingJobRequest>(request, json.Value.SerializerOptions, cancellationToken);
        var settings = resolver.Resolve(body);
        var job = queue.Submit(body.DatasetId!, settings, user.KeyName());
        return TypedResults.Accepted($"/api/training-jobs/{job.Id}", TrainingJobView.From(job));
    }

    public static Ok<TrainingJobView[]> ListJobs(TrainingJobStore store) =>
        TypedResults.Ok(store.List().Select(TrainingJobView.From).ToArray());

    public static Ok<TrainingJobView> GetJob(string id, TrainingJobStore store) =>
        TypedResults.Ok(TrainingJobView.From(Find(store, id)));

    public static Ok<TrainingHistoryView> GetHistory(string id, TrainingJobStore store)
    {
        var job = Find(store, id);
        return TypedResults.Ok(TrainingResults.History(job.History, job.BestEpoch));
    }

    public static Ok<EvaluationView> GetEvaluation(string id, TrainingJobStore store) =>
        TypedResults.Ok(TrainingResults.Evaluation(Evaluated(store, id, "evaluation")));

    public static Ok<RocView> GetRoc(string id, TrainingJobStore store) =>
        TypedResults.Ok(TrainingResults.Roc(Evaluated(store, id, "ROC curve")));

    public static Ok<SplitView> GetSplit(string id, TrainingJobStore store, DatasetStore datasets)
    {
        var job = Find(store, id);
        var split = store.FindSplit(id) ?? throw NoResultYet(job, "split");
        var labels = datasets.GetImages(job.DatasetId)?.ToDictionary(image => image.Id, image => image.Label);
        var classes = labels is null ? null : Enum.GetValues<EmotionClass>()
            .Select(label =>
            {
                int Count(IReadOnlyList<string> part) => part.Count(image => labels.TryGetValue(image, out var l) && l == label);
                return new ClassSplitView(label, Count(split.Train), Count(split.Validation), Count(split.Test));
            })
            .ToList();
        return TypedResults.Ok(new SplitView(split.Train.Count, split.Validation.Count, split.Test.Count, classes));
    }

    public static IResult GetPlot(string id, string plot, string format, int? width, int? height, HttpContext context, TrainingJobStore store)
    {
        var request = PlotRequest.Parse(plot, format, width, height);
        var job = Find(store, id);
        if (request.Kind == PlotKind.History)
        {
            if (job.History.Count == 0)
                throw new ConflictException("No history yet",
                    $"Training job '{id}' is {job.State.ToString().ToLowerInvariant()} and has finished no epoch: its history plot starts with the first epoch.");
            return RunPlotsApi.Respond(context, request, new RunPlotData(job.History, job.BestEpoch, job.Evaluation));
        }
        var evaluation = Evaluated(store, id, request.Kind == PlotKind.Roc ? "ROC curve" : "confusion matrix");
        return RunPlotsApi.Respond(context, request, new RunPlotData(job.History, job.BestEpoch, evaluation));
    }

    public static Accepted<TrainingJobView> CancelJob(string id, TrainingJobQueue queue)
    {
        var job = queue.Cancel(id);
        return TypedResults.Accepted($"/api/training-jobs/{job.Id}", TrainingJobView.From(job));
    }

    public static Results<NoContent, Accepted<TrainingJobView>> DeleteJob(string id, TrainingJobStore store, TrainingJobQueue queue)
    {
        var job = Find(store, id);
        if (!job.IsFinished)
        {
            var cancelling = queue.Cancel(id);
            return TypedResults.Accepted($"/api/training-jobs/{id}", TrainingJobView.From(cancelling));
        }
        if (!queue.Remove(id)) throw NotFoundException.For("Training job", id);
        return TypedResults.NoContent();
    }

    private static TrainingJob Find(TrainingJobStore store, string id) =>
        store.Find(id) ?? throw NotFoundException.For("Training job", id);

    private static EvaluationReport Evaluated(TrainingJobStore store, string id, string what)
    {
        var job = Find(store, id);
        return job.Evaluation ?? throw NoResultYet(job, what);
    }

    private static ConflictException NoResultYet(TrainingJob job, string what)
    {
        var state = job.State.ToString().ToLowerInvariant();
        var detail = job.IsFinished
            ? $"Training job '{job.Id}' is {state}: it has no {what}. Only a succeeded job is evaluated."
            : $"Training job '{job.Id}' is {state}: its {what} is made when it succeeds. Poll /api/training-jobs/{job.Id}.";
        return new ConflictException($"No {what} yet", detail);
    }
}
