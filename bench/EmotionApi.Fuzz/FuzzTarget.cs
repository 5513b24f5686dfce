using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionApi.Tests.ScaleOut;

namespace EmotionApi.Fuzz;

/// <summary>The service under fuzzing: started as its own process, sent cases, checked afterwards.</summary>
internal sealed partial class FuzzTarget : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ServiceProcess service;
    private readonly HttpClient client;
    private readonly string dataFolder;

    private FuzzTarget(ServiceProcess service, string dataFolder)
    {
        this.service = service;
        this.dataFolder = dataFolder;
        // Timeouts are per case (a hang is a finding), never the client's.
        client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = service.Client.BaseAddress, Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Address => client.BaseAddress!;

    public sealed record RunResult(double Seconds, bool TimeBoundHit, int CreatedDatasets);

    public static async Task<FuzzTarget> StartAsync(string dataFolder)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__DataPath"] = Path.Combine(dataFolder, "data"),
            ["Datasets__Sample__CreateOnStartup"] = "false",
            // The fuzzer is the only client, on loopback: no keys, and no rate limit to turn its thousands of requests
            // into 429s before they reach the code under test.
            ["Auth__Mode"] = "None",
            ["RateLimits__Predict__PermitsPerMinute"] = "0",
            ["RateLimits__Uploads__PermitsPerMinute"] = "0",
            ["RateLimits__Jobs__PermitsPerMinute"] = "0",
            // Refusals are logged at Information: thousands of them are noise here; errors stay.
            ["Logging__LogLevel__Default"] = "Warning",
            // "Now listening on" tells the address the system picked.
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        return new FuzzTarget(await ServiceProcess.StartAsync("service", settings, TimeSpan.FromMinutes(3)), dataFolder);
    }

    /// <summary>A sample dataset and a tiny-preset job on it, waited for: /api/predict has a model from then on.</summary>
    public async Task<string> TrainTinyModelAsync()
    {
        using var sample = await client.PostAsJsonAsync("/api/datasets/sample", new { count = 60, seed = 1, width = 32, height = 32, name = "fuzz model" });
        sample.EnsureSuccessStatusCode();
        var datasetId = (await sample.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetString();
        using var queued = await client.PostAsJsonAsync("/api/training-jobs", new { datasetId, preset = "tiny", epochs = 3 });
        queued.EnsureSuccessStatusCode();
        var jobId = (await queued.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetString();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/training-jobs/{jobId}", Json);
            switch (job.GetProperty("state").GetString())
            {
                case "succeeded": return job.GetProperty("modelId").GetString()!;
                case "failed" or "cancelled": throw new InvalidOperationException($"The model's training job ended {job}.");
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The tiny model did not train within 5 minutes.");
    }

    public async Task<RunResult> RunAsync(CaseGenerator generator, FuzzOptions options, FuzzReport report)
    {
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(options.Minutes);
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        var next = -1;
        var created = 0;
        var timeBoundHit = false;
        var progress = Math.Max(1, options.Cases / 20);
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            int number;
            while ((number = Interlocked.Increment(ref next)) < options.Cases)
            {
                if (clock.Elapsed > deadline)
                {
                    timeBoundHit = true;
                    return;
                }
                if (service.HasExited) return;
                FuzzCase fuzzCase;
                try
                {
                    fuzzCase = generator.Make(number);
                }
                catch (Exception e)
                {
                    // A fuzzer defect, not the service's: counted apart, and it fails the run until fixed.
                    fuzzCase = new FuzzCase(number, "fuzzer", "generator", e.ToString(), "", "", []);
                    report.Record(fuzzCase, new Outcome(null, false, "not sent", $"the case could not be made: {e.Message}", 0));
                    continue;
                }
                var outcome = await SendAsync(fuzzCase, timeout);
                report.Record(fuzzCase, outcome);
                if (fuzzCase.Endpoint == CaseGenerator.Datasets && outcome.Status == 201) Interlocked.Increment(ref created);
                if ((number + 1) % progress == 0)
                    Console.WriteLine($"  {number + 1:N0} cases, {clock.Elapsed.TotalSeconds:F0} s, {report.Failures.Count} failure(s)");
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new RunResult(clock.Elapsed.TotalSeconds, timeBoundHit, created);
    }

    public async Task<Outcome> SendAsync(FuzzCase fuzzCase, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var cancellation = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, fuzzCase.Path) { Content = new ByteArrayContent(fuzzCase.Body) };
        if (fuzzCase.ContentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzzCase.ContentType);
        try
        {
            using var response = await client.SendAsync(request, cancellation.Token);
            var status = (int)response.StatusCode;
            await response.Content.ReadAsByteArrayAsync(cancellation.Token);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            return new Outcome(status, problem, status.ToString(), status >= 500 ? $"answered {status}" : null, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return new Outcome(null, false, "timeout", $"hang: no answer within {timeout.TotalSeconds:0.#} s", clock.Elapsed.TotalSeconds);
        }
        catch (HttpRequestException e)
        {
            // Kestrel may close a connection whose body it refused; only a dead service makes that a failure.
            await Task.Delay(200);
            return new Outcome(null, false, "closed", service.HasExited ? $"crash: the service exited ({e.Message})" : null, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>After the run: still alive and ready, still predicts and accepts a good dataset, nothing partial left in tmp/.</summary>
    public async Task<List<(string Check, bool Passed)>> CheckAfterwardsAsync(Corpus corpus, int createdDatasets)
    {
        var checks = new List<(string, bool)> { ("the service process is still running", !service.HasExited) };
        if (service.HasExited) return checks;
        using (var ready = await client.GetAsync("/health/ready")) checks.Add(($"/health/ready answers {(int)ready.StatusCode}", ready.StatusCode == HttpStatusCode.OK));

        var image = new MultipartBody("check").File("files", "face.png", "image/png", corpus.Images[0].Bytes);
        using (var predicted = await Post("/api/predict", image))
        {
            var label = predicted.IsSuccessStatusCode
                ? (await predicted.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("results")[0].GetProperty("label").GetString()
                : null;
            checks.Add(($"a good image still predicts: {(int)predicted.StatusCode} {label}", predicted.StatusCode == HttpStatusCode.OK && label is not null));
        }

        var zip = Corpus.Zip(corpus.Images.Take(6).Select((sample, i) => new Corpus.ZipItem($"{(i % 2 == 0 ? "Positive" : "Negative")}/{i}.{sample.Extension}", sample.Bytes)));
        using (var uploaded = await Post("/api/datasets", new MultipartBody("check").File("file", "check.zip", "application/zip", zip)))
            checks.Add(($"a good dataset still uploads: {(int)uploaded.StatusCode}", uploaded.StatusCode == HttpStatusCode.Created));

        var datasets = (await client.GetFromJsonAsync<JsonElement>("/api/datasets", Json)).GetArrayLength();
        // The model's sample, every 201 of the run, the check's upload.
        checks.Add(($"datasets listed: {datasets}, created: 1 + {createdDatasets} + 1", datasets == createdDatasets + 2));
        var leftovers = Directory.EnumerateFileSystemEntries(Path.Combine(dataFolder, "data", "tmp")).ToArray();
        checks.Add(($"nothing partial left in tmp/: {leftovers.Length} entries", leftovers.Length == 0));
        return checks;
    }

    /// <summary>The service's logged errors (5xx causes), at most a few.</summary>
    public string ServiceErrors()
    {
        var lines = service.Output.Split('\n').Where(line => ErrorLine().IsMatch(line)).Take(20).ToArray();
        return lines.Length == 0 ? "(the service logged no errors)" : "Service errors:\n" + string.Join('\n', lines);
    }

    public static void SaveFailures(IEnumerable<(FuzzCase Case, Outcome Outcome)> failures, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (fuzzCase, outcome) in failures)
        {
            File.WriteAllBytes(Path.Combine(folder, $"case-{fuzzCase.Number}.body"), fuzzCase.Body);
            File.WriteAllText(Path.Combine(folder, $"case-{fuzzCase.Number}.txt"),
                $"POST {fuzzCase.Path}\nContent-Type: {fuzzCase.ContentType}\n{fuzzCase.Endpoint} {fuzzCase.Kind}: {fuzzCase.Description}\n{outcome.Failure}\n");
        }
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await service.DisposeAsync();
    }

    private Task<HttpResponseMessage> Post(string path, MultipartBody body)
    {
        var content = new ByteArrayContent(body.Build());
        content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        return client.PostAsync(path, content);
    }

    [GeneratedRegex(@"\bfail:|\bcrit:|Exception", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();
}
