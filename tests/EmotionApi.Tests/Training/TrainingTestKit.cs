using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmotionApi.Learning.Data;
using EmotionApi.Shared;
using EmotionApi.Training;

namespace EmotionApi.Tests.Training;

/// <summary>What the training, model and prediction tests do over HTTP, in one place.</summary>
internal static class TrainingTestKit
{
    /// <summary>The service's JSON conventions (camelCase, enums as camelCase strings, Infinity allowed).</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    /// <summary>Hosts of these tests make no sample dataset at start-up (each test makes the one it needs).</summary>
    public static Dictionary<string, string?> HostSettings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Datasets:Sample:CreateOnStartup"] = "false" };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    public static async Task<string> CreateSampleDatasetAsync(HttpClient client, int count = 240, int seed = 1, int side = 48)
    {
        var response = await client.PostAsJsonAsync("/api/datasets/sample", new { count, seed, width = side, height = side });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Class counts of a dataset, from its summary.</summary>
    public static async Task<Dictionary<EmotionClass, int>> ClassCountsAsync(HttpClient client, string datasetId)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync($"/api/datasets/{datasetId}"));
        return body.RootElement.GetProperty("classes").EnumerateArray().ToDictionary(
            entry => Enum.Parse<EmotionClass>(entry.GetProperty("class").GetString()!, ignoreCase: true),
            entry => entry.GetProperty("count").GetInt32());
    }

    public static async Task<TrainingJobView> QueueJobAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/training-jobs", request, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {text}");
        var job = JsonSerializer.Deserialize<TrainingJobView>(text, Json)!;
        Assert.Equal($"/api/training-jobs/{job.Id}", response.Headers.Location?.OriginalString);
        return job;
    }

    public static async Task<TrainingJobView> GetJobAsync(HttpClient client, string jobId) =>
        (await client.GetFromJsonAsync<TrainingJobView>($"/api/training-jobs/{jobId}", Json))!;

    /// <summary>Polls a job until <paramref name="until"/> holds; fails with the job's last view after <paramref name="timeout"/>.</summary>
    public static async Task<TrainingJobView> WaitForJobAsync(
        HttpClient client, string jobId, Func<TrainingJobView, bool> until, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await GetJobAsync(client, jobId);
            if (until(job)) return job;
            if (clock.Elapsed > timeout)
                Assert.Fail($"Job {jobId} did not reach the expected condition in {timeout}: {JsonSerializer.Serialize(job, Json)}");
            await Task.Delay(100);
        }
    }

    public static Task<TrainingJobView> WaitUntilFinishedAsync(HttpClient client, string jobId, TimeSpan timeout) =>
        WaitForJobAsync(client, jobId, job => job.State is TrainingJobState.Succeeded or TrainingJobState.Failed or TrainingJobState.Cancelled, timeout);

    public static async Task<TrainingJobView> TrainToSuccessAsync(HttpClient client, object request)
    {
        var queued = await QueueJobAsync(client, request);
        var finished = await WaitUntilFinishedAsync(client, queued.Id, TimeSpan.FromMinutes(3));
        Assert.True(finished.State == TrainingJobState.Succeeded, $"Job {finished.Id} ended {finished.State}: {finished.Error}");
        return finished;
    }

    /// <summary>Images of the sample's kind that no training set contains (another generator seed).</summary>
    public static IReadOnlyList<GeneratedImage> UnseenFaces(int count, int seed = 4242, int side = 48) =>
        SyntheticFaces.Generate(new SyntheticFacesOptions { Count = count, Seed = seed, Width = side, Height = side }).ToList();

    public static MultipartFormDataContent Form(IEnumerable<(string FileName, byte[] Content)> files, string field = "files")
    {
        var form = new MultipartFormDataContent();
        foreach (var (fileName, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "application/octet-stream");
            form.Add(part, field, fileName);
        }
        return form;
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonConventions.Apply(options);
        return options;
    }
}
