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

        var problem = await TrainingTestKit.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("queue a training job", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Default_model_before_any_model_is_a_404_problem_and_the_list_is_empty()
    {
        using var client = factory.CreateClient();

        await TrainingTestKit.ProblemAsync(await client.GetAsync("/api/models/default"), HttpStatusCode.NotFound);
        Assert.Equal("[]", await client.GetStringAsync("/api/models"));
        Assert.Equal("[]", await client.GetStringAsync("/api/training-jobs"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();
}
