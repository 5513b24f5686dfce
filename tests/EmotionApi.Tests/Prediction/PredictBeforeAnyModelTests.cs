using System.Net;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Prediction;

/// <summary>A fresh service with no model at all.</summary>
public class PredictBeforeAnyModelTests : IAsyncLifetime
{
    private readonly EmotionApiFactory factory = new() { Settings = TrainingTestKit.HostSettings() };

    [Fact]
    public async Task Predict_before_any_model_is_a_409_problem_that_says_to_queue_a_training_job()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/predict", TrainingTestKit.Form([("face.png", TrainingTestKit.UnseenFaces(1)[0].Png)]));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "No model yet", "No model has been trained yet: queue a training job");
    }

    [Fact]
    public async Task Explain_before_any_model_is_the_same_409_problem()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/predict/explain", TrainingTestKit.Form([("face.png", TrainingTestKit.UnseenFaces(1)[0].Png)], field: "file"));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "No model yet", "No model has been trained yet: queue a training job");
    }

    [Fact]
    public async Task Default_model_before_any_model_is_a_404_problem_and_the_list_is_empty()
    {
        using var client = factory.CreateClient();

        await (await client.GetAsync("/api/models/default")).AssertProblemAsync(HttpStatusCode.NotFound, "No model yet",
            "No model has been trained yet: queue a training job");
        Assert.Equal("[]", await client.GetStringAsync("/api/models"));
        Assert.Equal("[]", await client.GetStringAsync("/api/training-jobs"));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}
