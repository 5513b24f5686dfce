using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;

namespace EmotionApi.RunResults.Plots;

/// <summary>What a run's plots are drawn from: its epochs so far, the kept epoch, and its test evaluation once it has one.</summary>
public sealed record RunPlotData(IReadOnlyList<EpochMetrics> History, int? KeptEpoch, EvaluationReport? Evaluation);
