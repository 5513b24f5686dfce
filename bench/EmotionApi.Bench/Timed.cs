namespace EmotionApi.Bench;

/// <summary>Median and best of repeated runs: the median is what a run sees, the best what the machine can do when nothing else competes.</summary>
internal readonly record struct Timed(double MedianSeconds, double BestSeconds, int Runs)
{
    public override string ToString() => $"{Format(MedianSeconds)} (best {Format(BestSeconds)}, {Runs} runs)";

    public static string Format(double seconds) => seconds switch
    {
        >= 1 => $"{seconds:F2} s",
        >= 1e-3 => $"{seconds * 1e3:F1} ms",
        _ => $"{seconds * 1e6:F0} us",
    };
}
