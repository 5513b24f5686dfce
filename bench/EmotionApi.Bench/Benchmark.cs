namespace EmotionApi.Bench;

/// <summary>A benchmark the program runs by name.</summary>
/// <param name="Standard">Part of the standard set, which runs when no name is given (docs/performance.md says how long it takes).</param>
internal sealed record Benchmark(string Name, string Description, bool Standard, Action<BenchContext> Run);
