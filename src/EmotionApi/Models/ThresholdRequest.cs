namespace EmotionApi.Models;

/// <summary>
/// A model's new decision threshold: a number, or a rule that chooses it from the model's validation part (never from its
/// test set). Send one of {"threshold": 0.42}, {"rule": "youden"}, {"rule": "precision", "target": 0.9} or
/// {"rule": "recall", "target": 0.9}.
/// </summary>
public sealed record ThresholdRequest
{
    /// <summary>The probability of Positive above which an image is called Positive, strictly between 0 and 1. Leave out when sending a rule.</summary>
    /// <example>0.42</example>
    public double? Threshold { get; init; }

    /// <summary>
    /// "youden" (the largest sensitivity + specificity - 1), "precision" (the largest recall whose precision reaches the
    /// target) or "recall" (the highest threshold whose recall reaches the target), on the validation part.
    /// </summary>
    /// <example>precision</example>
    public string? Rule { get; init; }

    /// <summary>The precision or recall the rule must reach on the validation part, above 0 and at most 1.</summary>
    /// <example>0.9</example>
    public double? Target { get; init; }
}
