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

    /// <summary>Iterations of one burst: about half a millisecond of FMAs on a 3 to 4 GHz core.</summary>
    private const long BurstIterations = 100_000;

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

        var limit = 0.0;
        foreach (var (name, lanes, kernel) in widths)
        {
            foreach (var threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                var (best, median, overall) = Gflops(kernel, lanes, threads, context.Runs(2000));
                Console.WriteLine($"  {name,-8} {threads} thread{(threads == 1 ? " " : "s")}: {best:F1} GFLOP/s from each thread's fastest burst " +
                                  $"({best / threads:F1} a thread); median burst {median:F1}, overall {overall:F1} under this load");
                if (threads == Environment.ProcessorCount) limit = Math.Max(limit, best);
            }
        }
        context.RecordLimit(limit);
        context.Summarise($"FMA limit: {limit:F0} GFLOP/s on {Environment.ProcessorCount} threads (register-blocked, {Accumulators} accumulators, fastest bursts)");
    }

    /// <summary>The limit on every CPU, measured with the widest FMA this CPU has (for benchmarks that only need the figure).</summary>
    public static double Measure(BenchContext context)
    {
        var (kernel, lanes) = Avx512F.IsSupported ? (Kernel512, 16) : Fma.IsSupported ? ((Func<long, float>)Kernel256, 8) : (null, 0);
        return kernel is null ? double.NaN : Gflops(kernel, lanes, Environment.ProcessorCount, context.Runs(2000)).Best;
    }

    /// <summary>
    /// <paramref name="threads"/> threads running <paramref name="bursts"/> short bursts of the kernel each, at once.
    /// A burst lasts about half a millisecond, less than a scheduler's time slice: on a machine that others share, a
    /// thread's fastest bursts ran with the core to itself, so the sum of the threads' fastest is the hardware's rate
    /// (the median and the overall rate say how much of it this load left).
    /// </summary>
    private static (double Best, double Median, double Overall) Gflops(Func<long, float> kernel, int lanes, int threads, int bursts)
    {
        kernel(10_000); // compiled before the clock starts
        // Each FMA is a multiply and an add per lane.
        var operations = (double)BurstIterations * Accumulators * lanes * 2;
        using var start = new Barrier(threads + 1);
        var seconds = new double[threads][];
        var sink = new float[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var own = seconds[t] = new double[bursts];
            start.SignalAndWait();
            for (var b = 0; b < bursts; b++)
            {
                var began = Stopwatch.GetTimestamp();
                sink[t] += kernel(BurstIterations);
                own[b] = Stopwatch.GetElapsedTime(began).TotalSeconds;
            }
        }) { IsBackground = true }).ToList();
        workers.ForEach(worker => worker.Start());
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        workers.ForEach(worker => worker.Join());
        var wall = clock.Elapsed.TotalSeconds;
        if (sink.Any(float.IsNaN)) throw new InvalidOperationException("The kernel diverged.");
        var best = seconds.Sum(own => operations / own.Min()) / 1e9;
        var median = seconds.Sum(own => operations / own.Order().ElementAt(own.Length / 2)) / 1e9;
        return (best, median, threads * bursts * operations / wall / 1e9);
    }

    private static float Kernel512(long iterations) => Kernel<Avx512Width, Vector512<float>>(iterations);

    private static float Kernel256(long iterations) => Kernel<Avx2Width, Vector256<float>>(iterations);

    // The accumulators are locals the JIT keeps in vector registers (32 with AVX-512, 16 with AVX2: 16 chains plus the
    // two operands fit in AVX-512's, and AVX2's spill two, which the timing shows if it matters). Instantiated with
    // structs, the generic kernel is compiled once per width with the width's instructions inlined.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Kernel<TWidth, TVector>(long iterations) where TWidth : IWidth<TVector> where TVector : struct
    {
        var scale = TWidth.Create(0.999999f);
        var step = TWidth.Create(1e-7f);
        TVector a0 = TWidth.Create(1e-7f), a1 = TWidth.Create(2e-7f), a2 = TWidth.Create(3e-7f), a3 = TWidth.Create(4e-7f);
        TVector a4 = TWidth.Create(5e-7f), a5 = TWidth.Create(6e-7f), a6 = TWidth.Create(7e-7f), a7 = TWidth.Create(8e-7f);
        TVector a8 = TWidth.Create(9e-7f), a9 = TWidth.Create(10e-7f), a10 = TWidth.Create(11e-7f), a11 = TWidth.Create(12e-7f);
        TVector a12 = TWidth.Create(13e-7f), a13 = TWidth.Create(14e-7f), a14 = TWidth.Create(15e-7f), a15 = TWidth.Create(16e-7f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = TWidth.MultiplyAdd(a0, scale, step);
            a1 = TWidth.MultiplyAdd(a1, scale, step);
            a2 = TWidth.MultiplyAdd(a2, scale, step);
            a3 = TWidth.MultiplyAdd(a3, scale, step);
            a4 = TWidth.MultiplyAdd(a4, scale, step);
            a5 = TWidth.MultiplyAdd(a5, scale, step);
            a6 = TWidth.MultiplyAdd(a6, scale, step);
            a7 = TWidth.MultiplyAdd(a7, scale, step);
            a8 = TWidth.MultiplyAdd(a8, scale, step);
            a9 = TWidth.MultiplyAdd(a9, scale, step);
            a10 = TWidth.MultiplyAdd(a10, scale, step);
            a11 = TWidth.MultiplyAdd(a11, scale, step);
            a12 = TWidth.MultiplyAdd(a12, scale, step);
            a13 = TWidth.MultiplyAdd(a13, scale, step);
            a14 = TWidth.MultiplyAdd(a14, scale, step);
            a15 = TWidth.MultiplyAdd(a15, scale, step);
        }
        // Summed in registers: gathering the accumulators into an array would make the JIT keep them in memory.
        var sum = TWidth.Add(TWidth.Add(TWidth.Add(TWidth.Add(a0, a1), TWidth.Add(a2, a3)), TWidth.Add(TWidth.Add(a4, a5), TWidth.Add(a6, a7))),
            TWidth.Add(TWidth.Add(TWidth.Add(a8, a9), TWidth.Add(a10, a11)), TWidth.Add(TWidth.Add(a12, a13), TWidth.Add(a14, a15))));
        return TWidth.Sum(sum);
    }

    /// <summary>One vector width's operations, so one kernel serves both.</summary>
    private interface IWidth<TVector> where TVector : struct
    {
        static abstract TVector Create(float value);
        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);
        static abstract TVector Add(TVector a, TVector b);
        static abstract float Sum(TVector vector);
    }

    private readonly struct Avx512Width : IWidth<Vector512<float>>
    {
        public static Vector512<float> Create(float value) => Vector512.Create(value);
        public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);
        public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
        public static float Sum(Vector512<float> vector) => Vector512.Sum(vector);
    }

    private readonly struct Avx2Width : IWidth<Vector256<float>>
    {
        public static Vector256<float> Create(float value) => Vector256.Create(value);
        public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);
        public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
        public static float Sum(Vector256<float> vector) => Vector256.Sum(vector);
    }
}
