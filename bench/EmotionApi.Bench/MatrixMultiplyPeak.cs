using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Bench;

/// <summary>The float32 sgemm rate through torch.mm: the practical ceiling a convolution (lowered to matrix products) can approach.</summary>
internal static class MatrixMultiplyPeak
{
    public static void Run(BenchContext context) => context.RecordPeak(Measure(context, print: true));

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
        if (print) context.Summarise($"sgemm peak: {best:F0} GFLOP/s ({torch.get_num_threads()} threads)");
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
