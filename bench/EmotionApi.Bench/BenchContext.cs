namespace EmotionApi.Bench;

/// <summary>
/// What benchmarks share in one run: the options, this CPU's FMA limit every share refers to, torch's sgemm rate
/// reported beside it, and the summary lines.
/// </summary>
internal sealed class BenchContext(BenchOptions options)
{
    private double? sgemmGflops;

    public BenchOptions Options { get; } = options;

    /// <summary>Repetitions scaled down by --quick.</summary>
    public int Runs(int standard) => Options.Quick ? Math.Max(2, (standard + 2) / 3) : standard;

    /// <summary>torch's float32 sgemm rate (GFLOP/s) measured in this run; measured on first use when "sgemm" did not run first.</summary>
    public double SgemmGflops => sgemmGflops ??= MatrixMultiplyPeak.Measure(this, print: false);

    public void RecordSgemm(double gflops) => sgemmGflops = gflops;

    private double? limitGflops;

    /// <summary>
    /// This CPU's float32 limit (GFLOP/s on every CPU), from the register-blocked FMA kernel in this run: the
    /// denominator of every share. Measured on first use when "fma-peak" did not run first.
    /// </summary>
    public double LimitGflops => limitGflops ??= FmaPeak.Measure(this);

    public void RecordLimit(double gflops) => limitGflops = gflops;

    public List<string> Summary { get; } = [];

    public void Summarise(string line)
    {
        Summary.Add(line);
    }
}
