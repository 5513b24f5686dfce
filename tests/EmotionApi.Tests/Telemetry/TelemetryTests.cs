using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EmotionApi.Telemetry;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.Tests.Telemetry;

/// <summary>
/// The service's own instruments on /metrics and its spans, on the host of the trained-service fixture (whose tiny
/// training job ran before these tests: its epochs, its run and the request that queued it are recorded).
/// </summary>
[Collection(TrainedServiceCollection.Name)]
public class TelemetryTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task Metrics_show_the_services_own_instruments_after_a_prediction_and_a_training_run()
    {
        var before = await ScrapeAsync();
        var faces = TrainingTestKit.UnseenFaces(2, seed: 77);
        var response = await Client.PostAsync("/api/predict", TrainingTestKit.Form([
            (faces[0].FileName, faces[0].Png), ("junk.txt", "not an image"u8.ToArray()), (faces[1].FileName, faces[1].Png),
        ]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refused = await Client.PostAsync("/api/datasets", TrainingTestKit.Form([("faces.zip", "not a zip"u8.ToArray())], field: "file"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var after = await ScrapeAsync();

        // The prediction: one request, two images classified and one rejected, in at least one batch.
        Assert.Equal(1, Delta("emotionapi_prediction_requests_total"));
        Assert.Equal(2, Delta("emotionapi_prediction_images_total", (PredictionTelemetry.ImageOutcome.Replace('.', '_'), "classified")));
        Assert.Equal(1, Delta("emotionapi_prediction_images_total", (PredictionTelemetry.ImageOutcome.Replace('.', '_'), "rejected")));
        Assert.Equal(1, Delta("emotionapi_prediction_duration_seconds_count"));
        Assert.InRange(Delta("emotionapi_prediction_batch_size_count"), 1, 2);
        Assert.Equal(2, Delta("emotionapi_prediction_batch_size_sum"));
        Assert.True(after.Sum("emotionapi_prediction_batch_duration_seconds_sum") > 0);
        // The refused upload, by reason.
        Assert.Equal(1, Delta("emotionapi_dataset_uploads_total", ("error_type", "not_a_zip_archive")));

        // The fixture's training run (other tests of the collection may have trained more on this host): every epoch
        // with its time and throughput, the run's duration, the jobs by state.
        var epochs = TrainedServiceFixture.Epochs;
        var tiny = (TrainingTelemetry.Preset.Replace('.', '_'), "tiny");
        Assert.True(after.Sum("emotionapi_training_epoch_duration_seconds_count", tiny) >= epochs, after.Text);
        Assert.True(after.Sum("emotionapi_training_epoch_throughput_per_second_count", tiny) >= epochs);
        Assert.True(after.Sum("emotionapi_training_images_total", tiny) >= epochs * 100.0, "a run of 300 images trains on more than 100 an epoch");
        Assert.True(after.Sum("emotionapi_training_job_duration_seconds_count", (TrainingTelemetry.JobState.Replace('.', '_'), "succeeded")) >= 1);
        var jobs = await Client.GetFromJsonAsync<JsonArray>("/api/training-jobs", TrainingTestKit.Json);
        var succeeded = jobs!.Count(entry => (string?)entry!["state"] == "succeeded");
        Assert.Equal(succeeded, after.Sum("emotionapi_training_job_count", (TrainingTelemetry.JobState.Replace('.', '_'), "succeeded")));
        Assert.Equal(0, after.Sum("emotionapi_training_job_count", (TrainingTelemetry.JobState.Replace('.', '_'), "running")));
        Assert.True(after.Has("emotionapi_training_queue_length"));
        // The frameworks' own, beside the service's.
        Assert.True(after.Has("http_server_request_duration_seconds_count"));

        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
    }

    [Fact]
    public async Task A_training_run_is_a_span_linked_to_the_request_that_queued_it_with_a_span_per_epoch()
    {
        var jobId = service.Job.Id;
        var spans = service.Spans.Snapshot();
        var record = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(service.Factory.DataPath, "jobs", jobId, "job.json")))!;
        var queuedBy = (string)record["queuedBy"]!["parent"]!;

        var run = Assert.Single(spans, span => span.OperationName == "training job" && (string?)span.GetTagItem(TrainingTelemetry.JobId) == jobId);
        var request = Assert.Single(spans, span => span.Kind == ActivityKind.Server && span.Id == queuedBy);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        var link = Assert.Single(run.Links);
        Assert.Equal(request.TraceId, link.Context.TraceId);
        Assert.Equal(request.SpanId, link.Context.SpanId);
        // A run is a trace of its own: it may run long after the request, on another node.
        Assert.NotEqual(request.TraceId, run.TraceId);
        Assert.Equal("succeeded", run.GetTagItem(TrainingTelemetry.JobState));

        var epochs = spans.Where(span => span.OperationName == "training epoch" && span.ParentSpanId == run.SpanId).ToList();
        Assert.Equal(Enumerable.Range(1, TrainedServiceFixture.Epochs), epochs.Select(span => (int)span.GetTagItem("emotionapi.training.epoch")!).Order());
        Assert.All(epochs, epoch =>
        {
            Assert.Equal(run.TraceId, epoch.TraceId);
            Assert.InRange(epoch.StartTimeUtc, run.StartTimeUtc.AddMilliseconds(-50), run.StartTimeUtc + run.Duration);
        });
    }

    [Fact]
    public async Task A_hosts_metrics_leave_out_the_measurements_of_other_hosts_in_the_process()
    {
        await using var other = new EmotionApiFactory();
        other.CreateClient().Dispose();
        other.Services.GetRequiredService<UploadTelemetry>().RecordRefused(1, "Only elsewhere");
        service.Factory.Services.GetRequiredService<UploadTelemetry>().RecordRefused(1, "Only here");

        var scrape = await ScrapeAsync();

        Assert.Equal(1, scrape.Sum("emotionapi_dataset_uploads_total", ("error_type", "only_here")));
        Assert.False(scrape.Has("emotionapi_dataset_uploads_total") && scrape.Text.Contains("only_elsewhere"), scrape.Text);
    }

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        var response = await Client.GetAsync(TelemetrySetup.MetricsPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }
}
