using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmotionApi.Learning.Models;
using EmotionApi.Models;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;
using EmotionApi.Training;

namespace EmotionApi.Tests.Models;

[Collection(TrainedServiceCollection.Name)]
public class ModelsApiTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task A_succeeded_job_registers_a_model_with_its_manifest()
    {
        var model = (await Client.GetFromJsonAsync<ModelDetails>($"/api/models/{service.ModelId}", TrainingTestKit.Json))!;

        Assert.Equal(service.Job.Id, model.JobId);
        Assert.Equal(service.DatasetId, model.DatasetId);
        Assert.Equal("tiny", model.Preset);
        Assert.Equal(service.Job.Settings.Network, model.Network);
        Assert.Equal(service.Job.Settings, model.Settings);
        Assert.Equal((32, 32), (model.ImageHeight, model.ImageWidth));
        Assert.Equal(0.5, model.Threshold);
        Assert.Equal(new[] { "Negative", "Positive" }, model.ClassNames);
        Assert.Equal(service.Job.TestAccuracy, model.TestMetrics.Accuracy);
        Assert.Equal(service.Job.TestRocAuc, model.TestMetrics.RocAuc);
        Assert.Equal(service.Job.BestEpoch, model.BestEpoch);
        Assert.True(model.CreatedAt >= service.Job.StartedAt);
    }

    [Fact]
    public async Task Model_results_are_the_same_as_its_jobs()
    {
        foreach (var result in new[] { "history", "evaluation", "roc" })
        {
            var ofJob = await Client.GetStringAsync($"/api/training-jobs/{service.Job.Id}/{result}");
            var ofModel = await Client.GetStringAsync($"/api/models/{service.ModelId}/{result}");
            Assert.Equal(ofJob, ofModel);
        }
    }

    [Fact]
    public async Task Model_file_is_a_zip_of_weights_manifest_and_registration_that_loads()
    {
        var response = await Client.GetAsync($"/api/models/{service.ModelId}/file");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"emotion-model-{service.ModelId}.zip", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var folder = Path.Combine(Path.GetTempPath(), "emotionapi-tests", $"download-{Guid.NewGuid():N}");
        try
        {
            await using (var zip = await response.Content.ReadAsStreamAsync())
                ZipFile.ExtractToDirectory(zip, folder);
            Assert.Equal(
                new[] { TrainedModel.ManifestFileName, TrainedModel.WeightsFileName, ModelRegistry.RegistrationFileName }.Order(),
                Directory.GetFiles(folder).Select(Path.GetFileName).Order());
            using var model = TrainedModel.Load(folder);
            Assert.Equal(32, model.InputSize.Height);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        // The temporary zip is gone once sent.
        Assert.Empty(Directory.GetFiles(Path.Combine(service.Factory.DataPath, "tmp"), "download-*"));
    }

    [Fact]
    public async Task Default_is_the_newest_model_until_a_user_chooses_and_deleting_the_choice_falls_back_to_the_newest()
    {
        Assert.Equal(service.ModelId, (await DefaultAsync()).ModelId);

        var newer = await TrainingTestKit.TrainToSuccessAsync(Client, new { datasetId = service.DatasetId, preset = "tiny", epochs = 1 });
        var newest = await DefaultAsync();
        Assert.Equal((newer.ModelId, false), (newest.ModelId, newest.ChosenByUser));
        var listed = (await Client.GetFromJsonAsync<ModelSummary[]>("/api/models", TrainingTestKit.Json))!;
        Assert.Equal(new[] { newer.ModelId, service.ModelId }, listed.Select(model => model.Id));
        Assert.Equal(new[] { true, false }, listed.Select(model => model.IsDefault));

        var chosen = await Client.PutAsJsonAsync("/api/models/default", new { modelId = service.ModelId });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.Equal((service.ModelId, true), ((await DefaultAsync()).ModelId, (await DefaultAsync()).ChosenByUser));
        Assert.True(File.Exists(Path.Combine(service.Factory.DataPath, "models", "default.json")));

        // Choose the newer one, then delete it: the default falls back to the newest remaining model.
        await Client.PutAsJsonAsync("/api/models/default", new { modelId = newer.ModelId });
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/models/{newer.ModelId}")).StatusCode);
        var fallback = await DefaultAsync();
        Assert.Equal((service.ModelId, false), (fallback.ModelId, fallback.ChosenByUser));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/models/{newer.ModelId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/api/models/{newer.ModelId}")).StatusCode);
        // The job that trained it keeps its record and results.
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/training-jobs/{newer.Id}/evaluation")).StatusCode);
        await Client.DeleteAsync($"/api/training-jobs/{newer.Id}");
    }

    [Fact]
    public async Task Choosing_an_unknown_model_as_default_is_a_400_naming_model_id()
    {
        var response = await Client.PutAsJsonAsync("/api/models/default", new { modelId = "0123456789ab" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "modelId");
        Assert.Equal("There is no model with id '0123456789ab'.", Assert.Single(problem.Errors!["modelId"]));
        Assert.Equal(service.ModelId, (await DefaultAsync()).ModelId);
    }

    [Fact]
    public async Task Unknown_model_answers_404_problem_on_every_route()
    {
        foreach (var path in new[] { "", "/file", "/history", "/evaluation", "/roc" })
            await (await Client.GetAsync($"/api/models/0123456789ab{path}")).AssertProblemAsync(
                HttpStatusCode.NotFound, "Model not found", "There is no model with id '0123456789ab'.");
        await (await Client.DeleteAsync("/api/models/0123456789ab")).AssertProblemAsync(
            HttpStatusCode.NotFound, "Model not found", "There is no model with id '0123456789ab'.");
    }

    private async Task<DefaultModelView> DefaultAsync()
    {
        var response = await Client.GetAsync("/api/models/default");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<DefaultModelView>(await response.Content.ReadAsStringAsync(), TrainingTestKit.Json)!;
    }
}
