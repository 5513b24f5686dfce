namespace EmotionApi.Bench;

/// <summary>What benchmarks share in one run: the options, the sgemm peak every share refers to, and the summary lines.</summary>
internal sealed class BenchContext(BenchOptions options)
{
    private double? peakGflops;

    public BenchOptions Options { get; } = options;

    /// <summary>Repetitions scaled down by --quick.</summary>
    public int Runs(int standard) => Options.Quick ? Math.Max(2, (standard + 2) / 3) : standard;

    /// <summary>The float32 sgemm peak (GFLOP/s) measured in this run; measured on first use when "sgemm" did not run first.</summary>
    public double PeakGflops => peakGflops ??= MatrixMultiplyPeak.Measure(this, print: false);

    public void RecordPeak(double gflops) => peakGflops = gflops;

    private double? fmaLimitGflops;

    /// <summary>This CPU's float32 FMA limit (GFLOP/s, every CPU) measured in this run; measured on first use when "fma-peak" did not run first.</summary>
    public double FmaLimitGflops => fmaLimitGflops ??= FmaPeak.Measure(this);

    public void RecordFmaLimit(double gflops) => fmaLimitGflops = gflops;

    public List<string> Summary { get; } = [];

    public void Summarise(string line)
    {
        Summary.Add(line);
    }
}
