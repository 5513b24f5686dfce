using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>
/// The float32 sgemm rate through torch.mm (MKL's kernel): what one library's matrix product reaches here, reported as
/// a share of the FMA limit. It is not the hardware's ceiling: oneDNN's convolutions can outrun it (docs/performance.md).
/// </summary>
internal static class MatrixMultiplyPeak
{
    public static void Run(BenchContext context) => context.RecordSgemm(Measure(context, print: true));

    /// <summary>GFLOP/s of the faster of 2048 and 4096 square products (2 n^3 operations each).</summary>
    public static double Measure(BenchContext context, bool print)
    {
        var best = 0.0;
        foreach (var n in context.Options.Quick ? [2048] : new[] { 2048, 4096 })
        {
            var gflops = Gflops(n, context.Runs(n >= 4096 ? 4 : 10));
            if (print) Console.WriteLine($"  sgemm {n}x{n}: {gflops.Median:F0} GFLOP/s (best {gflops.Best:F0})");
            best = Math.Max(best, gflops.Median);
        }
        if (print) context.Summarise($"sgemm: {best:F0} GFLOP/s ({torch.get_num_threads()} threads) = {best / context.LimitGflops:P0} of the FMA limit");
        return best;
    }

    public static (double Median, double Best) Gflops(int n, int runs)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        var timed = Timing.Measure(() => a.mm(b).Dispose(), warmup: 1, runs);
        var operations = 2.0 * n * n * n;
        return (operations / timed.MedianSeconds / 1e9, operations / timed.BestSeconds / 1e9);
    }
}
