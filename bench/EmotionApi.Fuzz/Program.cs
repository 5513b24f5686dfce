using System.Diagnostics;
using System.Reflection;
using EmotionApi.Fuzz;

// The fuzzing command of docs/fuzzing.md: starts the built service on a loopback port with a data folder of its own,
// trains a tiny model so that /api/predict has one, sends seeded mutated zips and images to POST /api/datasets and
// POST /api/predict, and fails on any 5xx, hang or crash, or when the service no longer serves afterwards.
FuzzOptions options;
try
{
    options = FuzzOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(FuzzOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(FuzzOptions.Usage);
    return 0;
}

var clock = Stopwatch.StartNew();
var corpus = Corpus.Create();
Console.WriteLine($"Corpus: {corpus.Images.Count} images, {corpus.RefusedFormats.Count} refused formats, {corpus.Unusual.Count} unusual images, " +
                  $"4 archive bombs ({clock.Elapsed.TotalSeconds:F1} s)");

var dataFolder = Directory.CreateTempSubdirectory("emotionapi-fuzz-").FullName;
try
{
    await using var target = await FuzzTarget.StartAsync(dataFolder);
    var configuration = typeof(FuzzTarget).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
    Console.WriteLine($"Service: {target.Address} ({configuration} build{(configuration == "Release" ? "" : "; the documented runs use -c Release")}, data folder {dataFolder})");
    var modelId = await target.TrainTinyModelAsync();
    Console.WriteLine($"Model: {modelId} (tiny preset on 60 sample faces; {clock.Elapsed.TotalSeconds:F0} s so far)");
    var generator = new CaseGenerator(corpus, options.Seed, modelId);
    var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);

    if (options.Replay is { } number)
    {
        var replayed = generator.Make(number);
        var outcome = await target.SendAsync(replayed, timeout);
        Console.WriteLine($"Case {number} of seed {options.Seed}: {replayed.Endpoint} {replayed.Kind}: {replayed.Description}");
        Console.WriteLine($"  {replayed.Body.Length:N0} bytes, Content-Type '{replayed.ContentType}', answer {outcome.Label}{(outcome.Failure is null ? "" : $" FAILS: {outcome.Failure}")}");
        Console.WriteLine(target.ServiceErrors());
        return outcome.Failure is null ? 0 : 1;
    }

    var report = new FuzzReport();
    var run = await target.RunAsync(generator, options, report);
    Console.WriteLine();
    Console.WriteLine($"Sent {report.Sent:N0} of {options.Cases:N0} requests in {run.Seconds:F0} s (seed {options.Seed}, concurrency {options.Concurrency}, " +
                      $"timeout {options.TimeoutSeconds:0.#} s){(run.TimeBoundHit ? $": stopped by the {options.Minutes:0.#}-minute bound" : "")}; " +
                      $"load average {FuzzTarget.LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine(report.Render());

    var checks = await target.CheckAfterwardsAsync(corpus, run.CreatedDatasets);
    foreach (var (check, passed) in checks) Console.WriteLine($"{(passed ? "ok  " : "FAIL")} {check}");
    foreach (var (fuzzCase, outcome) in report.Failures.OrderBy(failure => failure.Case.Number).Take(30))
    {
        Console.WriteLine($"FAIL case {fuzzCase.Number}: {fuzzCase.Endpoint} {fuzzCase.Kind}: {fuzzCase.Description}: {outcome.Failure}");
        Console.WriteLine($"     reproduce: dotnet run -c Release --project bench/EmotionApi.Fuzz -- --seed {options.Seed} --case {fuzzCase.Number}");
    }
    if (report.Failures.Count > 0)
    {
        FuzzTarget.SaveFailures(report.Failures, options.FailuresFolder);
        Console.WriteLine($"Failing requests saved to {options.FailuresFolder}");
        Console.WriteLine(target.ServiceErrors());
    }
    var passedAll = report.Failures.Count == 0 && checks.All(check => check.Passed);
    Console.WriteLine(passedAll ? "PASSED" : "FAILED");
    return passedAll ? 0 : 1;
}
finally
{
    Directory.Delete(dataFolder, recursive: true);
}
