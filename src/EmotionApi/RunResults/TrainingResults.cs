using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;

namespace EmotionApi.RunResults;

/// <summary>The JSON views of a run's results, the same for a job and for the model it produced.</summary>
public static class TrainingResults
{
    private static readonly IReadOnlyList<string> ClassNames = Enum.GetNames<EmotionClass>();

    public static TrainingHistoryView History(IReadOnlyList<EpochMetrics> history, int? bestEpoch) => new(bestEpoch, history);

    public static EvaluationView Evaluation(EvaluationReport report) => new(
        report.TestSize,
        report.Accuracy,
        report.Threshold,
        report.Loss,
        report.NaiveBaselineAccuracy,
        new ConfusionMatrixView(ClassNames, report.Confusion.Counts, report.Confusion.NormalizedByTrueClass),
        report.Classes,
        report.RocAuc);

    public static RocView Roc(EvaluationReport report) => new(report.RocAuc, report.RocCurve);
}
