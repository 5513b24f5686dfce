using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Models;
using EmotionApi.Models;
using EmotionApi.Prediction;
using EmotionApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmotionApi.Tests.Training;

/// <summary>
/// The pretrained presets through the API as a user runs them: a job on a dataset, a model that predicts and downloads,
/// a run that resumes after a shutdown. Small images and few epochs: ResNet-18 is what is under test, not its quality
/// (bench quality measures that).
/// </summary>
public class PretrainedTrainingTests
{
    private const int Side = 64;

    [Theory]
    [InlineData("pretrained")]
    [InlineData("pretrained-frozen")]
    public async Task A_pretrained_preset_trains_a_resnet18_model_that_predicts_and_downloads(string preset)
    {
        await using var factory = new EmotionApiFactory { Settings = TrainingTestKit.HostSettings() };
        using var client = factory.CreateClient();
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(client, count: 120, side: 80);

        var job = await TrainingTestKit.TrainToSuccessAsync(client, new { datasetId, preset, imageHeight = Side, imageWidth = Side, epochs = 3 });

        Assert.Equal(preset, job.Settings.Preset);
        Assert.Equal("resnet18", job.Settings.Network);
        var model = (await client.GetFromJsonAsync<ModelDetails>($"/api/models/{job.ModelId}", TrainingTestKit.Json))!;
        Assert.Equal(("resnet18", preset, Side), (model.Network, model.Preset, model.ImageHeight));

        var faces = TrainingTestKit.UnseenFaces(6, side: 80);
        using var response = await client.PostAsync("/api/predict", TrainingTestKit.Form(faces.Select(face => (face.FileName, face.Png))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonSerializer.Deserialize<PredictionResponse>(await response.Content.ReadAsStringAsync(), TrainingTestKit.Json)!;
        Assert.Equal(job.ModelId, answer.ModelId);
        Assert.All(answer.Results, result => Assert.InRange(result.Positive!.Value, 0, 1));

        // The download is the whole network, ImageNet backbone included: it loads and predicts without the shipped weights file.
        var folder = Path.Combine(Path.GetTempPath(), "emotionapi-tests", $"download-{Guid.NewGuid():N}");
        try
        {
            await using (var zip = await client.GetStreamAsync($"/api/models/{job.ModelId}/file"))
                ZipFile.ExtractToDirectory(zip, folder);
            using var loaded = TrainedModel.Load(folder);
            var prepared = faces.Select(face => Learning.Images.ImageCodec.Prepare(face.Png, loaded.InputSize, Learning.Images.ImageLimits.Default)).ToList();
            Assert.Equal(answer.Results.Select(result => result.Positive!.Value), loaded.PredictPositive(prepared).Select(p => (double)p), new Tolerance(1e-6));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_fine_tuning_job_interrupted_by_a_shutdown_resumes_from_its_checkpoint()
    {
        var first = new EmotionApiFactory { Settings = TrainingTestKit.HostSettings() };
        EmotionApiFactory? second = null;
        try
        {
            using var firstClient = first.CreateClient();
            var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(firstClient, count: 60, side: 40);
            var queued = await TrainingTestKit.QueueJobAsync(firstClient,
                new { datasetId, preset = "pretrained", imageHeight = 32, imageWidth = 32, epochs = 1000, warmupEpochs = 1 });
            // Past the warm-up: the backbone trains, so the checkpoint holds all of it.
            var beforeStop = await TrainingTestKit.WaitForJobAsync(firstClient, queued.Id, job => job.LatestEpoch is { Epoch: >= 2 }, TimeSpan.FromMinutes(3));
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
                await first.Services.GetRequiredService<IHost>().StopAsync(timeout.Token);
            // The run went on until the stop reached it: the second run must go past where the first one stopped.
            var record = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(first.DataPath, "jobs", queued.Id, "job.json")))!;
            var stopped = record["history"]!.AsArray().Count;

            var secondLog = new CapturedLog();
            second = new EmotionApiFactory { DataPath = first.DataPath, Settings = TrainingTestKit.HostSettings(), LogCapture = secondLog };
            using var client = second.CreateClient();
            var resumed = await TrainingTestKit.WaitForJobAsync(client, queued.Id,
                job => job.Runs == 2 && job.LatestEpoch!.Epoch > stopped, TimeSpan.FromMinutes(3));
            var history = (await client.GetFromJsonAsync<EmotionApi.RunResults.TrainingHistoryView>($"/api/training-jobs/{queued.Id}/history", TrainingTestKit.Json))!;
            Assert.Equal(Enumerable.Range(1, history.Epochs.Count), history.Epochs.Select(epoch => epoch.Epoch));
            Assert.True(history.Epochs.Count >= beforeStop.LatestEpoch!.Epoch);
            // Resumed, not restarted: the second run began after an epoch the first had finished, from its checkpoint.
            var resumedAfter = secondLog.Entries
                .Select(entry => System.Text.RegularExpressions.Regex.Match(entry, $"Job {queued.Id} resumed from its checkpoint after epoch (\\d+) "))
                .Single(match => match.Success);
            Assert.Equal(stopped, int.Parse(resumedAfter.Groups[1].Value));

            await client.PostAsync($"/api/training-jobs/{queued.Id}/cancel", null);
            Assert.Equal(EmotionApi.Training.TrainingJobState.Cancelled,
                (await TrainingTestKit.WaitUntilFinishedAsync(client, queued.Id, TimeSpan.FromSeconds(60))).State);
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
