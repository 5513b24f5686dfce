using EmotionApi.Learning.Evaluation;

namespace EmotionApi.Learning.Models;

/// <summary>How a model's decision threshold was chosen: recorded in its manifest beside the threshold.</summary>
public sealed record ThresholdOrigin
{
    /// <summary>The threshold of the training settings (0.5 unless set), as every model starts.</summary>
    public const string DefaultRule = "default";
    /// <summary>A threshold given by hand.</summary>
    public const string ManualRule = "manual";

    /// <summary>What a model saved before thresholds could be chosen had: its training settings' threshold.</summary>
    public static ThresholdOrigin Default { get; } = new() { Rule = DefaultRule };

    /// <summary>
    /// <see cref="DefaultRule"/>, <see cref="ManualRule"/>, or a rule of <see cref="ThresholdSelection"/>
    /// (<see cref="ThresholdSelection.YoudenRule"/>, <see cref="ThresholdSelection.PrecisionRule"/>, <see cref="ThresholdSelection.RecallRule"/>).
    /// </summary>
    public required string Rule { get; init; }

    /// <summary>The precision or recall the rule was asked for; null for the other rules.</summary>
    public double? Target { get; init; }

    /// <summary>For a precision or recall rule: whether the validation part reached <see cref="Target"/>.</summary>
    public bool? TargetReached { get; init; }

    /// <summary>What the threshold does on the validation part (the scores it was chosen from); null without one.</summary>
    public OperatingPoint? Validation { get; init; }

    /// <summary>When it was chosen; null for the threshold the model was trained with.</summary>
    public DateTimeOffset? ChosenAt { get; init; }
}
