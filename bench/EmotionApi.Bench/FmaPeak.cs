using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EmotionApi.Bench;

/// <summary>
/// This CPU's float32 limit, measured: fused multiply-adds with no memory traffic, register-blocked into
/// <see cref="Accumulators"/> independent chains per thread (more than an FMA's latency times the FMA units, so
/// the units never wait on a result), on one thread and on every CPU at once. The shares of docs/performance.md
/// refer to it, not to torch's sgemm, which is one library's kernel and not the hardware's ceiling.
/// </summary>
internal static class FmaPeak
{
    /// <summary>Independent accumulators: FMA latency (4 cycles on AMD Zen 4 and 5, Intel Skylake and later) x 2 units = 8 in flight; 16 leaves a margin.</summary>
    public const int Accumulators = 16;

    private const long Iterations = 20_000_000;

    public static void Run(BenchContext context)
    {
        var widths = new List<(string Name, int Lanes, Func<long, float> Kernel)>();
        if (Avx512F.IsSupported) widths.Add(("AVX-512", 16, Kernel512));
        if (Fma.IsSupported) widths.Add(("AVX2 FMA", 8, Kernel256));
        if (widths.Count == 0)
        {
            Console.WriteLine("  no FMA instructions on this CPU: nothing to measure");
            return;
        }

        var best = 0.0;
        foreach (var (name, lanes, kernel) in widths)
        {
            foreach (var threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                var runs = Enumerable.Range(0, context.Runs(7)).Select(_ => Gflops(kernel, lanes, threads)).Order().ToArray();
                var median = runs[runs.Length / 2];
                Console.WriteLine($"  {name,-8} {threads} thread{(threads == 1 ? " " : "s")}: {median:F1} GFLOP/s (best {runs[^1]:F1}), " +
                                  $"{median / threads:F1} a thread");
                if (threads == Environment.ProcessorCount) best = Math.Max(best, median);
            }
        }
        context.RecordLimit(best);
        context.Summarise($"FMA limit: {best:F0} GFLOP/s on {Environment.ProcessorCount} threads (register-blocked, {Accumulators} accumulators)");
    }

    /// <summary>The limit on every CPU, measured with the widest FMA this CPU has (for benchmarks that only need the figure).</summary>
    public static double Measure(BenchContext context)
    {
        var (kernel, lanes) = Avx512F.IsSupported ? (Kernel512, 16) : Fma.IsSupported ? ((Func<long, float>)Kernel256, 8) : (null, 0);
        if (kernel is null) return double.NaN;
        return Enumerable.Range(0, context.Runs(5)).Select(_ => Gflops(kernel, lanes, Environment.ProcessorCount)).Order().ElementAt(context.Runs(5) / 2);
    }

    /// <summary>GFLOP/s of <paramref name="threads"/> threads each running the kernel once, started together.</summary>
    private static double Gflops(Func<long, float> kernel, int lanes, int threads)
    {
        kernel(10_000); // compiled before the clock starts
        using var start = new Barrier(threads + 1);
        var sink = new float[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            sink[t] = kernel(Iterations);
        }) { IsBackground = true }).ToList();
        workers.ForEach(worker => worker.Start());
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        workers.ForEach(worker => worker.Join());
        var seconds = clock.Elapsed.TotalSeconds;
        if (sink.Any(float.IsNaN)) throw new InvalidOperationException("The kernel diverged.");
        // Each FMA is a multiply and an add per lane.
        return threads * (double)Iterations * Accumulators * lanes * 2 / seconds / 1e9;
    }

    // The accumulators are locals the JIT keeps in vector registers (32 with AVX-512, 16 with AVX2: 16 chains
    // plus the two operands fit in AVX-512's, and AVX2's spill two, which the timing shows if it matters).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Kernel512(long iterations)
    {
        var scale = Vector512.Create(0.999999f);
        var step = Vector512.Create(1e-7f);
        Vector512<float> a0 = step, a1 = step * 2, a2 = step * 3, a3 = step * 4, a4 = step * 5, a5 = step * 6, a6 = step * 7, a7 = step * 8;
        Vector512<float> a8 = step * 9, a9 = step * 10, a10 = step * 11, a11 = step * 12, a12 = step * 13, a13 = step * 14, a14 = step * 15, a15 = step * 16;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, scale, step);
            a1 = Avx512F.FusedMultiplyAdd(a1, scale, step);
            a2 = Avx512F.FusedMultiplyAdd(a2, scale, step);
            a3 = Avx512F.FusedMultiplyAdd(a3, scale, step);
            a4 = Avx512F.FusedMultiplyAdd(a4, scale, step);
            a5 = Avx512F.FusedMultiplyAdd(a5, scale, step);
            a6 = Avx512F.FusedMultiplyAdd(a6, scale, step);
            a7 = Avx512F.FusedMultiplyAdd(a7, scale, step);
            a8 = Avx512F.FusedMultiplyAdd(a8, scale, step);
            a9 = Avx512F.FusedMultiplyAdd(a9, scale, step);
            a10 = Avx512F.FusedMultiplyAdd(a10, scale, step);
            a11 = Avx512F.FusedMultiplyAdd(a11, scale, step);
            a12 = Avx512F.FusedMultiplyAdd(a12, scale, step);
            a13 = Avx512F.FusedMultiplyAdd(a13, scale, step);
            a14 = Avx512F.FusedMultiplyAdd(a14, scale, step);
            a15 = Avx512F.FusedMultiplyAdd(a15, scale, step);
        }
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15;
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Kernel256(long iterations)
    {
        var scale = Vector256.Create(0.999999f);
        var step = Vector256.Create(1e-7f);
        Vector256<float> a0 = step, a1 = step * 2, a2 = step * 3, a3 = step * 4, a4 = step * 5, a5 = step * 6, a6 = step * 7, a7 = step * 8;
        Vector256<float> a8 = step * 9, a9 = step * 10, a10 = step * 11, a11 = step * 12, a12 = step * 13, a13 = step * 14, a14 = step * 15, a15 = step * 16;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, scale, step);
            a1 = Fma.MultiplyAdd(a1, scale, step);
            a2 = Fma.MultiplyAdd(a2, scale, step);
            a3 = Fma.MultiplyAdd(a3, scale, step);
            a4 = Fma.MultiplyAdd(a4, scale, step);
            a5 = Fma.MultiplyAdd(a5, scale, step);
            a6 = Fma.MultiplyAdd(a6, scale, step);
            a7 = Fma.MultiplyAdd(a7, scale, step);
            a8 = Fma.MultiplyAdd(a8, scale, step);
            a9 = Fma.MultiplyAdd(a9, scale, step);
            a10 = Fma.MultiplyAdd(a10, scale, step);
            a11 = Fma.MultiplyAdd(a11, scale, step);
            a12 = Fma.MultiplyAdd(a12, scale, step);
            a13 = Fma.MultiplyAdd(a13, scale, step);
            a14 = Fma.MultiplyAdd(a14, scale, step);
            a15 = Fma.MultiplyAdd(a15, scale, step);
        }
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15;
        return Vector256.Sum(sum);
    }
}
