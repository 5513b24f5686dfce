namespace EmotionApi.Learning.Evaluation;

/// <summary>A decision threshold chosen by a rule from validation scores, and how it does there.</summary>
/// <param name="Rule">One of <see cref="ThresholdSelection.YoudenRule"/>, <see cref="ThresholdSelection.PrecisionRule"/>, <see cref="ThresholdSelection.RecallRule"/>.</param>
/// <param name="Target">The precision or recall asked for; null for Youden's J.</param>
/// <param name="TargetReached">
/// False when no threshold reaches <paramref name="Target"/> on the validation scores; <paramref name="Validation"/>
/// is then the point that comes closest (see <see cref="ThresholdSelection"/>). Always true for Youden's J.
/// </param>
/// <param name="Validation">The chosen point on the validation scores.</param>
public sealed record ThresholdChoice(string Rule, double? Target, bool TargetReached, OperatingPoint Validation)
{
    public double Threshold => Validation.Threshold;
}
