namespace EmotionApi.Learning.Evaluation;

/// <summary>A two-sided confidence interval of a metric.</summary>
/// <param name="Level">The coverage it is built for, for example 0.95.</param>
/// <param name="Method">How it was computed: <see cref="ConfidenceIntervals.WilsonMethod"/> or <see cref="ConfidenceIntervals.DeLongMethod"/>.</param>
public sealed record ConfidenceInterval(double Lower, double Upper, double Level, string Method);
