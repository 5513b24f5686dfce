using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;
using EmotionApi.Training;

namespace EmotionApi.Tests.Security;

/// <summary>Rate limits per key with 429 and Retry-After, and the quota of unfinished jobs per key.</summary>
[Collection(SecuredServiceCollection.Name)]
public class LimitTests(SecuredServiceFixture service)
{
    /// <summary>Cheap requests of each rate-limited kind: refused by validation (400) after the limiter counted them.</summary>
    public static TheoryData<string, string, string> LimitedRequests() => new()
    {
        { "Predict", "/api/predict", "prediction requests" },
        { "Uploads", "/api/datasets/sample", "dataset uploads" },
        { "Jobs", "/api/training-jobs", "training job requests" },
    };

    [Theory]
    [MemberData(nameof(LimitedRequests))]
    public async Task Over_the_limit_a_key_gets_a_429_problem_with_Retry_After_while_other_keys_go_on(string policy, string path, string what)
    {
        using var throttled = service.As("throttled");
        using var other = service.As("client");

        for (var i = 0; i < SecuredServiceFixture.PermitsPerMinute; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await throttled.PostAsync(path, InvalidBody(path))).StatusCode);
        using var refused = await throttled.PostAsync(path, InvalidBody(path));

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "Too many requests",
            $"The key 'throttled' may make {SecuredServiceFixture.PermitsPerMinute} {what} a minute (RateLimits:{policy}:PermitsPerMinute).");
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        // Limits count per key: another key is still served.
        Assert.Equal(HttpStatusCode.BadRequest, (await other.PostAsync(path, InvalidBody(path))).StatusCode);
    }

    [Fact]
    public async Task A_key_with_as_many_unfinished_jobs_as_allowed_gets_a_429_until_one_finishes_and_the_job_names_its_key()
    {
        using var quota = service.As("quota");
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(quota, count: 60, side: 32);
        var request = new { datasetId, preset = "tiny" };

        var first = await TrainingTestKit.QueueJobAsync(quota, request);
        var refused = await quota.PostAsJsonAsync("/api/training-jobs", request, TrainingTestKit.Json);

        Assert.Equal("quota", first.CreatedBy);
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "Too many unfinished jobs",
            "The key 'quota' has 1 queued or running training job; at most 1 is allowed at once (TrainingJobs:MaxUnfinishedJobsPerKey).");
        Assert.Null(refused.Headers.RetryAfter); // it frees when a job finishes, not after a time
        var jobsOfQuota = (await quota.GetFromJsonAsync<TrainingJobView[]>("/api/training-jobs", TrainingTestKit.Json))!.Where(job => job.CreatedBy == "quota").ToList();
        Assert.Equal([first.Id], jobsOfQuota.Select(job => job.Id));

        // The record names the key, never holds it.
        var record = await File.ReadAllTextAsync(Path.Combine(service.Factory.DataPath, "jobs", first.Id, "job.json"));
        Assert.Equal("quota", JsonDocument.Parse(record).RootElement.GetProperty("createdBy").GetString());
        Assert.DoesNotContain(service.Keys["quota"], record);

        Assert.Equal(HttpStatusCode.Accepted, (await quota.PostAsync($"/api/training-jobs/{first.Id}/cancel", null)).StatusCode);
        await TrainingTestKit.WaitForJobAsync(quota, first.Id, job => job.State == TrainingJobState.Cancelled, TimeSpan.FromMinutes(1));
        var second = await TrainingTestKit.QueueJobAsync(quota, request);
        Assert.Equal(HttpStatusCode.Accepted, (await quota.PostAsync($"/api/training-jobs/{second.Id}/cancel", null)).StatusCode);
    }

    private static HttpContent InvalidBody(string path) => path == "/api/predict"
        ? new MultipartFormDataContent { { new StringContent("no image"), "note" } }
        : new StringContent(path.EndsWith("sample") ? "{\"count\": 1}" : "{}", Encoding.UTF8, "application/json");
}
