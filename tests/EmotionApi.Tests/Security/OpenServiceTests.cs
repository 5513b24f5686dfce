using System.Net;
using System.Net.Http.Json;
using EmotionApi.Tests.Datasets;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Security;

/// <summary>The embedded default: Development without keys is open, so the README's quick start works as written.</summary>
public class DevelopmentWithoutKeysTests(DevelopmentWithoutKeysTests.Host host) : IClassFixture<DevelopmentWithoutKeysTests.Host>
{
    public sealed class Host : EmotionApiFactory
    {
        // Auth:Mode is the default (ApiKeys) and no key is configured: as `dotnet run` starts.
        public Host() => (Environment, Settings) = ("Development", TrainingTestKit.HostSettings(("Auth:Mode", "ApiKeys")));
    }

    [Fact]
    public async Task The_quick_start_s_requests_are_answered_without_a_key()
    {
        using var client = host.CreateClient();

        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(client, count: 40, side: 32);
        var job = await TrainingTestKit.QueueJobAsync(client, new { datasetId, preset = "tiny" });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/training-jobs/{job.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/training-jobs/{job.Id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);
        var predict = await client.PostAsync("/api/predict", TrainingTestKit.Form([("face.png", TestImages.Png(32, 32))]));

        Assert.Null(job.CreatedBy); // no key, no name
        await predict.AssertProblemAsync(HttpStatusCode.Conflict, "No model yet"); // answered, not refused: no model is trained here
    }

    [Fact]
    public async Task A_key_sent_to_an_open_service_changes_nothing()
    {
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "whatever-the-client-was-configured-with");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/models/default")).StatusCode);
    }
}

/// <summary>
/// Production with <c>Auth:Mode</c> None (authentication left to a gateway): open, limited per client address; and the
/// limits that do not depend on keys: free disk space for uploads (507) and the prediction timeout (503).
/// </summary>
public class NoAuthenticationModeTests(NoAuthenticationModeTests.Host host) : IClassFixture<NoAuthenticationModeTests.Host>
{
    public const int JobPermitsPerMinute = 2;
    public const double TimeoutSeconds = 0.5;

    public sealed class Host : EmotionApiFactory
    {
        public Host()
        {
            // A real server (on a port the system picks): the in-memory test server hands a request to the service only
            // once its body is complete, and the client's address is what rate limits count per.
            UseKestrel(0);
            (Environment, Settings) = ("Production", TrainingTestKit.HostSettings(
            ("Auth:Mode", "None"),
            ("RateLimits:Jobs:PermitsPerMinute", $"{JobPermitsPerMinute}"),
            // More than any disk has: every upload would leave less.
            ("Storage:MinFreeMegabytes", $"{1L << 40}"),
            ("Prediction:TimeoutSeconds", $"{TimeoutSeconds}")));
        }
    }

    [Fact]
    public async Task Without_authentication_on_purpose_anyone_may_call_even_in_Production()
    {
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/models/default")).StatusCode);
    }

    [Fact]
    public async Task Without_a_key_rate_limits_count_per_client_address()
    {
        using var client = host.CreateClient();

        for (var i = 0; i < JobPermitsPerMinute; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/training-jobs", TrainingTestKit.JsonBody("{}"))).StatusCode);
        var refused = await client.PostAsync("/api/training-jobs", TrainingTestKit.JsonBody("{}"));

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "Too many requests",
            $"This client address may make {JobPermitsPerMinute} training job requests a minute (RateLimits:Jobs:PermitsPerMinute).");
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_upload_that_would_leave_less_than_the_minimum_free_space_gets_a_507_problem_and_stores_nothing()
    {
        using var client = host.CreateClient();

        var upload = await client.UploadAsync(TestZip.ArticleLayout(positives: 4, negatives: 4).ToArray());
        var sample = await client.PostAsJsonAsync("/api/datasets/sample", new { count = 40 });

        await upload.AssertProblemAsync((HttpStatusCode)507, "Not enough disk space", "MB free; storing this upload and its images",
            $"the {1L << 40} MB it keeps free (Storage:MinFreeMegabytes)");
        await sample.AssertProblemAsync((HttpStatusCode)507, "Not enough disk space", "storing the sample dataset");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(host.DataPath, "datasets")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(host.DataPath, "tmp")));
    }

    [Fact]
    public async Task A_prediction_request_that_outlasts_the_timeout_is_answered_503_without_being_worked_on()
    {
        // No redirect handling: it would buffer the whole body before sending any of it.
        host.StartServer();
        using var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, BaseAddress = host.ClientOptions.BaseAddress,
        });
        // Without the timeout this request would get 409 (no model is trained here).
        using var body = new StallingContent(TimeSpan.FromSeconds(TimeoutSeconds * 4));

        var response = await client.PostAsync("/api/predict", body);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "Prediction timed out",
            $"The request did not finish within {TimeoutSeconds} s (Prediction:TimeoutSeconds) and was cancelled.");
    }

    /// <summary>A multipart body with one image whose sending stalls midway, as a slow client's would.</summary>
    private sealed class StallingContent : HttpContent
    {
        private const string Boundary = "stalling-boundary";
        private readonly TimeSpan stall;

        public StallingContent(TimeSpan stall)
        {
            this.stall = stall;
            Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var start = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"slow.png\"\r\nContent-Type: image/png\r\n\r\n";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(start));
            var image = TestImages.Png(32, 32);
            await stream.WriteAsync(image.AsMemory(0, image.Length / 2));
            await stream.FlushAsync();
            await Task.Delay(stall);
            await stream.WriteAsync(image.AsMemory(image.Length / 2));
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
