using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;
using EmotionApi.Training;
using SixLabors.ImageSharp;

namespace EmotionApi.Tests.RunResults;

[Collection(TrainedServiceCollection.Name)]
public class PlotEndpointsTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;

    public static TheoryData<string, string, string> Plots => new()
    {
        { "training-jobs", "history", "png" }, { "training-jobs", "roc", "png" }, { "training-jobs", "confusion", "png" },
        { "training-jobs", "history", "svg" }, { "training-jobs", "roc", "svg" }, { "training-jobs", "confusion", "svg" },
        { "models", "history", "png" }, { "models", "roc", "svg" }, { "models", "confusion", "png" },
    };

    [Theory]
    [MemberData(nameof(Plots))]
    public async Task A_succeeded_run_s_plots_answer_with_their_media_type_and_an_entity_tag(string owner, string plot, string format)
    {
        var response = await Client.GetAsync($"/api/{owner}/{service.Job.Id}/plots/{plot}.{format}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString());
        if (format == "png")
        {
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            var info = Image.Identify(bytes);
            Assert.Equal(plot == "history" ? 800 : 520, info.Width);
        }
        else
        {
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            var svg = XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Root!;
            Assert.Equal("svg", svg.Name.LocalName);
            Assert.NotEmpty(svg.Elements().Where(element => element.Name.LocalName == "desc").Select(element => element.Value).Single());
        }
    }

    [Fact]
    public async Task The_roc_plot_shows_the_run_s_own_auc_and_the_same_tag_answers_304_without_a_body()
    {
        using var roc = JsonDocument.Parse(await Client.GetStringAsync($"/api/models/{service.ModelId}/roc"));
        var auc = roc.RootElement.GetProperty("auc").GetDouble();

        var first = await Client.GetAsync($"/api/models/{service.ModelId}/plots/roc.svg");
        var svg = await first.Content.ReadAsStringAsync();
        Assert.Contains(FormattableString.Invariant($"ROC curve (AUC {auc:0.000})"), svg);

        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/models/{service.ModelId}/plots/roc.svg");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var notModified = await Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, notModified.Headers.ETag);

        // The job's plot is drawn from the same results: the same picture, the same tag.
        var jobs = await Client.GetAsync($"/api/training-jobs/{service.Job.Id}/plots/roc.svg");
        Assert.Equal(first.Headers.ETag, jobs.Headers.ETag);
        // Another size is another picture.
        var wider = await Client.GetAsync($"/api/models/{service.ModelId}/plots/roc.svg?width=900");
        Assert.NotEqual(first.Headers.ETag, wider.Headers.ETag);
        Assert.Contains("viewBox=\"0 0 900 500\"", await wider.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_runs_plots_and_formats_are_404_problems_and_bad_sizes_400()
    {
        const string unknown = "0123456789abcdef0123456789abcdef";
        await (await Client.GetAsync($"/api/training-jobs/{unknown}/plots/roc.png")).AssertProblemAsync(HttpStatusCode.NotFound,
            "Training job not found", $"There is no training job with id '{unknown}'.");
        await (await Client.GetAsync($"/api/models/{unknown}/plots/roc.svg")).AssertProblemAsync(HttpStatusCode.NotFound,
            "Model not found", $"There is no model with id '{unknown}'.");
        await (await Client.GetAsync($"/api/models/{service.ModelId}/plots/loss.png")).AssertProblemAsync(HttpStatusCode.NotFound,
            "Plot not found", "There is no plot 'loss.png'. Plots: history, roc, confusion, each as .png or .svg.");
        await (await Client.GetAsync($"/api/models/{service.ModelId}/plots/roc.gif")).AssertProblemAsync(HttpStatusCode.NotFound,
            "Plot not found", "There is no plot 'roc.gif'.");
        var problem = await (await Client.GetAsync($"/api/models/{service.ModelId}/plots/history.png?width=100&height=9000"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request");
        Assert.Equal(["height", "width"], problem.Errors!.Keys.Order());
    }

    [Fact]
    public async Task A_running_job_has_a_growing_history_plot_but_no_roc_or_confusion_plot_and_a_queued_one_no_plot()
    {
        var running = await TrainingTestKit.QueueJobAsync(Client, new { datasetId = service.DatasetId, preset = "tiny", epochs = 1000 });
        var waiting = await TrainingTestKit.QueueJobAsync(Client, new { datasetId = service.DatasetId, preset = "tiny", epochs = 1000 });
        try
        {
            await TrainingTestKit.WaitForJobAsync(Client, running.Id, job => job.State == TrainingJobState.Running && job.LatestEpoch is not null, TimeSpan.FromMinutes(1));

            var history = await Client.GetAsync($"/api/training-jobs/{running.Id}/plots/history.svg");
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
            Assert.Contains("Learning curves", await history.Content.ReadAsStringAsync());
            await (await Client.GetAsync($"/api/training-jobs/{running.Id}/plots/roc.png")).AssertProblemAsync(HttpStatusCode.Conflict,
                "No ROC curve yet", $"Training job '{running.Id}' is running: its ROC curve is made when it succeeds.");
            await (await Client.GetAsync($"/api/training-jobs/{running.Id}/plots/confusion.svg")).AssertProblemAsync(HttpStatusCode.Conflict,
                "No confusion matrix yet", $"Training job '{running.Id}' is running");
            await (await Client.GetAsync($"/api/training-jobs/{waiting.Id}/plots/history.png")).AssertProblemAsync(HttpStatusCode.Conflict,
                "No history yet", $"Training job '{waiting.Id}' is queued and has finished no epoch");
        }
        finally
        {
            await Client.PostAsync($"/api/training-jobs/{waiting.Id}/cancel", null);
            await Client.PostAsync($"/api/training-jobs/{running.Id}/cancel", null);
            await TrainingTestKit.WaitUntilFinishedAsync(Client, running.Id, TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task The_openapi_document_lists_the_plot_routes_with_both_media_types()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var owner in new[] { "training-jobs", "models" })
        {
            var route = $"/api/{owner}/{{id}}/plots/{{plot}}.{{format}}";
            Assert.True(paths.TryGetProperty(route, out var path), $"No {route} among {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
            var get = path.GetProperty("get");
            Assert.True(get.GetProperty("responses").GetProperty("200").TryGetProperty("content", out var content), get.ToString());
            Assert.True(content.TryGetProperty("image/png", out _));
            Assert.True(content.TryGetProperty("image/svg+xml", out _));
            Assert.Contains(get.GetProperty("parameters").EnumerateArray(), parameter => parameter.GetProperty("name").GetString() == "width");
        }
    }
}
