using System.Diagnostics;
using EmotionApi.Bench;
using EmotionApi.Learning;
using EmotionApi.Learning.Networks;

// The performance benchmark of docs/performance.md: one run measures this CPU's FMA limit and every figure
// against it, so ratios come from the same machine state.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
if (options.List)
{
    foreach (var benchmark in Benchmarks.All)
        Console.WriteLine($"{benchmark.Name,-20} {(benchmark.Standard ? "standard" : "on demand"),-9}  {benchmark.Description}");
    return 0;
}

IReadOnlyList<Benchmark> selected;
try
{
    selected = Benchmarks.Select(options.Names);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

TorchPerformanceSettings performance;
try
{
    // First torch call of the process: the OpenMP wait policy can only be set before torch loads.
    performance = TorchPerformance.Configure(options.Threads);
}
catch (TorchUnavailableException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
Machine.Describe(performance);
var context = new BenchContext(options);
var clock = Stopwatch.StartNew();
foreach (var benchmark in selected)
{
    Console.WriteLine();
    Console.WriteLine($"## {benchmark.Name}: {benchmark.Description}");
    var started = clock.Elapsed;
    benchmark.Run(context);
    Console.WriteLine($"  ({(clock.Elapsed - started).TotalSeconds:F0} s)");
}

Console.WriteLine();
Console.WriteLine("## Summary (one run, shares of this run's FMA limit)");
foreach (var line in context.Summary) Console.WriteLine($"- {line}");
Console.WriteLine($"- total {clock.Elapsed.TotalSeconds:F0} s; load at the end {Machine.LoadAverage()}; peak memory {Machine.PeakMemory()}");
return 0;
