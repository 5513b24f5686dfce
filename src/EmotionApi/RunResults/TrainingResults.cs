using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;

namespace EmotionApi.RunResults;

/// <summary>The JSON views of a run's results, the same for a job and for the model it produced.</summary>
public static class TrainingResults
{
    private static readonly IReadOnlyList<string> ClassNames = Enum.GetNames<EmotionClass>();

    public static TrainingHistoryView History(IReadOnlyList<EpochMetrics> history, int? bestEpoch) => new(bestEpoch, history);

    /// <summary>The evaluation as the API shows it; one stored by an earlier version gains what its counts determine.</summary>
    public static EvaluationView Evaluation(EvaluationReport stored)
    {
        var report = stored.WithCountStatistics();
        return new EvaluationView(
            report.TestSize,
            report.Accuracy,
            report.Threshold,
            report.Loss,
            report.NaiveBaselineAccuracy,
            new ConfusionMatrixView(ClassNames, report.Confusion.Counts, report.Confusion.NormalizedByTrueClass),
            report.Classes,
            report.RocAuc,
            report.AccuracyInterval,
            report.RocAucInterval,
            report.AccuracyPValue,
            report.TestImagesWithNearDuplicateInTraining);
    }

    public static RocView Roc(EvaluationReport report) => new(report.RocAuc, report.RocCurve);
}
