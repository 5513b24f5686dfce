using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Training;

namespace EmotionApi.Tests.Training;

[Collection(TrainedServiceCollection.Name)]
public class TrainingJobValidationTests(TrainedServiceFixture service)
{
    private const string Dataset = "{dataset}";

    /// <summary>A request body (with {dataset} standing for a real dataset id) and the fields its 400 must name.</summary>
    public static TheoryData<string, string[]> InvalidRequests() => new()
    {
        { """{"preset": "tiny"}""", ["datasetId"] },
        { """{"datasetId": "0123456789ab", "preset": "tiny"}""", ["datasetId"] },
        { """{"datasetId": "{dataset}", "preset": "no-such-preset"}""", ["preset"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "epochs": 0}""", ["epochs"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "epochs": -3}""", ["epochs"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "imageHeight": 2}""", ["imageHeight"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "imageWidth": 100000}""", ["imageWidth"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "batchSize": 0}""", ["batchSize"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "learningRate": -0.1}""", ["learningRate"] },
        // floor(n x 0.001) = 0 for both classes of a 300-image dataset: no test image.
        { """{"datasetId": "{dataset}", "preset": "tiny", "testFraction": 0.001}""", ["testFraction"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "testFraction": 1.5}""", ["testFraction"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "augmentation": {"zoom": 5}}""", ["augmentation.zoom"] },
        { """{"datasetId": "{dataset}", "preset": "tiny", "emaDecay": 1.5, "labelSmoothing": 0.7, "mixup": -1}""", ["emaDecay", "labelSmoothing", "mixup"] },
        // Fine-tuning settings need a pretrained network; the frozen backbone's features allow no augmentation but the mirror.
        { """{"datasetId": "{dataset}", "preset": "tiny", "warmupEpochs": 2, "freezeBatchNorm": true}""", ["warmupEpochs", "freezeBatchNorm"] },
        { """{"datasetId": "{dataset}", "preset": "pretrained-frozen", "augmentation": {"rotationDegrees": 10}}""", ["freezeBackbone"] },
        { """{"datasetId": "{dataset}", "preset": "pretrained", "backboneLearningRateFactor": 0}""", ["backboneLearningRateFactor"] },
        // Several at once: every one is named.
        { """{"datasetId": "{dataset}", "preset": "tiny", "epochs": 0, "batchSize": -1, "imageHeight": 1}""", ["epochs", "batchSize", "imageHeight"] },
        // Wrong JSON types: named field by field, not "the body is malformed".
        { """{"datasetId": "{dataset}", "epochs": "ten", "seed": 1.5, "augmentation": {"horizontalFlip": "yes"}}""", ["epochs", "seed", "augmentation.horizontalFlip"] },
        { """{"datasetId": "{dataset}", "epochs": """, ["body"] },
        { """[1, 2, 3]""", ["body"] },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_request_answers_400_naming_each_bad_field_and_creates_no_job(string body, string[] fields)
    {
        var jobsBefore = await JobIdsAsync();

        var response = await service.Client.PostAsync("/api/training-jobs", TrainingTestKit.JsonBody(body.Replace(Dataset, service.DatasetId)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", fields);
        Assert.Equal(fields.Order(), problem.Errors!.Keys.Order());
        Assert.All(problem.Errors.Values, messages => Assert.False(string.IsNullOrWhiteSpace(Assert.Single(messages))));
        Assert.Equal(jobsBefore, await JobIdsAsync());
        Assert.Equal(jobsBefore.Count, Directory.GetDirectories(Path.Combine(service.Factory.DataPath, "jobs")).Length);
    }

    [Fact]
    public async Task A_body_that_is_not_json_answers_415()
    {
        var response = await service.Client.PostAsync("/api/training-jobs", new StringContent("datasetId=x"));
        // Routing refuses it (the endpoint accepts only application/json) before the handler runs.
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
    }

    [Fact]
    public async Task Omitted_preset_means_the_default_preset_with_overrides_applied()
    {
        var queued = await TrainingTestKit.QueueJobAsync(service.Client, new
        {
            datasetId = service.DatasetId, epochs = 1, imageHeight = 32, imageWidth = 40, seed = 7, augmentation = new { zoom = 0.05 },
        });
        try
        {
            Assert.Equal("default", queued.Settings.Preset);
            Assert.Equal((1, 32, 40, 7), (queued.Settings.Epochs, queued.Settings.ImageHeight, queued.Settings.ImageWidth, queued.Settings.Seed));
            // The default's warm-up (2 epochs) fits within the one epoch asked for.
            Assert.Equal(1, queued.Settings.WarmupEpochs);
            Assert.Equal(0.05, queued.Settings.Augmentation.Zoom);
            // Augmentation fields not given keep the preset's values.
            Assert.True(queued.Settings.Augmentation.HorizontalFlip);
            Assert.True(queued.State is TrainingJobState.Queued or TrainingJobState.Running);
        }
        finally
        {
            await service.Client.PostAsync($"/api/training-jobs/{queued.Id}/cancel", null);
            var ended = await TrainingTestKit.WaitUntilFinishedAsync(service.Client, queued.Id, TimeSpan.FromSeconds(60));
            // One epoch may finish before the cancellation arrives: the other tests of this host expect the fixture's model alone.
            if (ended.ModelId is { } model) await service.Client.DeleteAsync($"/api/models/{model}");
        }
    }

    [Fact]
    public async Task A_jobs_settings_show_the_fine_tuning_and_averaging_settings_it_runs_with()
    {
        var queued = await TrainingTestKit.QueueJobAsync(service.Client, new
        {
            datasetId = service.DatasetId, preset = "pretrained", epochs = 3, warmupEpochs = 1, backboneLearningRateFactor = 0.2,
            freezeBatchNorm = true, emaDecay = 0.95, testTimeFlip = true, labelSmoothing = 0.05, mixup = 0.3, keepBestEpoch = true,
        });
        try
        {
            using var view = JsonDocument.Parse(await service.Client.GetStringAsync($"/api/training-jobs/{queued.Id}"));
            var settings = view.RootElement.GetProperty("settings");
            Assert.Equal("resnet18", settings.GetProperty("network").GetString());
            Assert.Equal(1, settings.GetProperty("warmupEpochs").GetInt32());
            Assert.Equal(0.2, settings.GetProperty("backboneLearningRateFactor").GetDouble());
            Assert.True(settings.GetProperty("freezeBatchNorm").GetBoolean());
            Assert.False(settings.GetProperty("freezeBackbone").GetBoolean());
            Assert.Equal(0.95, settings.GetProperty("emaDecay").GetDouble());
            Assert.True(settings.GetProperty("testTimeFlip").GetBoolean());
            Assert.Equal(0.05, settings.GetProperty("labelSmoothing").GetDouble());
            Assert.Equal(0.3, settings.GetProperty("mixup").GetDouble());
            Assert.True(settings.GetProperty("keepBestEpoch").GetBoolean());
        }
        finally
        {
            await service.Client.PostAsync($"/api/training-jobs/{queued.Id}/cancel", null);
            await TrainingTestKit.WaitUntilFinishedAsync(service.Client, queued.Id, TimeSpan.FromSeconds(120));
        }
    }

    private async Task<List<string>> JobIdsAsync()
    {
        var jobs = await service.Client.GetFromJsonAsync<JsonElement>("/api/training-jobs");
        return jobs.EnumerateArray().Select(job => job.GetProperty("id").GetString()!).Order().ToList();
    }
}
