using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Training;

namespace EmotionApi.RunResults;

/// <summary>Per-epoch history of a run (Keras' loss / acc / val_loss / val_acc, with the learning rate and timing).</summary>
/// <param name="BestEpoch">The epoch whose weights the model kept (by validation loss; the last one without validation).</param>
/// <param name="Epochs">One entry per finished epoch, in order.</param>
public sealed record TrainingHistoryView(int? BestEpoch, IReadOnlyList<EpochMetrics> Epochs);

/// <summary>The confusion matrix; rows are true classes, columns predicted classes, both in <see cref="Classes"/> order.</summary>
/// <param name="Classes">Class names in index order: ["Negative", "Positive"].</param>
/// <param name="Counts">Images per (true, predicted) pair; all cells add up to the test-set size.</param>
/// <param name="NormalizedByTrueClass">Counts divided by their row's total (the article's form: each row sums to 1).</param>
public sealed record ConfusionMatrixView(IReadOnlyList<string> Classes, int[][] Counts, double[][] NormalizedByTrueClass);

/// <summary>The model's test-set evaluation at its threshold.</summary>
/// <param name="TestSize">Images in the test set.</param>
/// <param name="Accuracy">Share of test images labelled right.</param>
/// <param name="Threshold">Probability of Positive above which an image is called Positive.</param>
/// <param name="Loss">Mean binary cross-entropy on the test set.</param>
/// <param name="NaiveBaselineAccuracy">Accuracy of always answering the majority class: the bar to beat.</param>
/// <param name="ConfusionMatrix">Counts and row-normalised shares.</param>
/// <param name="Classes">Precision, recall, F1 and support per class (scikit-learn's classification_report).</param>
/// <param name="RocAuc">Area under the ROC curve (0.5 = chance).</param>
/// <param name="AccuracyInterval">Wilson's 95% confidence interval of the accuracy.</param>
/// <param name="RocAucInterval">
/// DeLong's 95% confidence interval of the ROC AUC. Null when a class has fewer than two test images, and for an
/// evaluation stored by a version before intervals (it did not keep the per-image scores the interval needs).
/// </param>
/// <param name="AccuracyPValue">
/// One-sided exact binomial p-value of "the accuracy beats the naive baseline": the chance that a classifier right as
/// often as always answering the majority class gets at least this many test images right.
/// </param>
/// <param name="TestImagesWithNearDuplicateInTraining">
/// Test images with a near duplicate (perceptual hash) among the training and validation images: copies that flatter
/// the metrics (0 when the run grouped duplicates). Null for a run of a version before the audit.
/// </param>
public sealed record EvaluationView(
    int TestSize,
    double Accuracy,
    double Threshold,
    double Loss,
    double NaiveBaselineAccuracy,
    ConfusionMatrixView ConfusionMatrix,
    IReadOnlyList<ClassMetrics> Classes,
    double RocAuc,
    ConfidenceInterval? AccuracyInterval,
    ConfidenceInterval? RocAucInterval,
    double? AccuracyPValue,
    int? TestImagesWithNearDuplicateInTraining);

/// <summary>The ROC curve (scikit-learn's roc_curve: the first point is (0, 0) at threshold +Infinity) and its area.</summary>
/// <param name="Auc">Area under the curve, ties counted as roc_auc_score does.</param>
/// <param name="Points">
/// From (0, 0) to (1, 1), thresholds decreasing. The first threshold, +Infinity, is written as the string "Infinity"
/// (JSON has no infinity): read numbers with named floating-point literals allowed.
/// </param>
public sealed record RocView(double Auc, IReadOnlyList<RocPoint> Points);
