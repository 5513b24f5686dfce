using System.Diagnostics.Metrics;

namespace EmotionApi.Telemetry;

public static class MeterExtensions
{
    /// <summary>A histogram with its bucket boundaries advised (the defaults suit milliseconds, not seconds or images).</summary>
    public static Histogram<T> CreateHistogram<T>(this Meter meter, string name, string unit, string description, IReadOnlyList<T> buckets)
        where T : struct =>
        meter.CreateHistogram(name, unit, description, tags: null, advice: new InstrumentAdvice<T> { HistogramBucketBoundaries = buckets });
}
