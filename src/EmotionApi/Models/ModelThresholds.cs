using System.Globalization;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Models;
using EmotionApi.Shared;

namespace EmotionApi.Models;

/// <summary>
/// Sets a model's decision threshold: a number given by hand, or one chosen by a rule (<see cref="ThresholdSelection"/>)
/// from the validation scores kept with the model. The test set never chooses: it is only evaluated at the result.
/// </summary>
public sealed class ModelThresholds(ModelRegistry registry, TimeProvider time)
{
    private static readonly string[] Rules = [ThresholdSelection.YoudenRule, ThresholdSelection.PrecisionRule, ThresholdSelection.RecallRule];

    /// <summary>The model with its new threshold.</summary>
    /// <exception cref="NotFoundException">No model has that id.</exception>
    /// <exception cref="ValidationException">The request is malformed, or the target is out of reach on the validation part.</exception>
    /// <exception cref="ConflictException">A rule was asked of a model without validation scores.</exception>
    public RegisteredModel Choose(string id, ThresholdRequest request)
    {
        var model = registry.Find(id) ?? throw NotFoundException.For("Model", id);
        var (threshold, origin) = Resolve(model, Validate(request));
        return registry.ChooseThreshold(model.Id, threshold, origin) ?? throw NotFoundException.For("Model", id);
    }

    private static ThresholdRequest Validate(ThresholdRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var rule = request.Rule?.Trim().ToLowerInvariant();
        if (request.Threshold is null && rule is null)
        {
            errors["threshold"] = ["Send a threshold ({\"threshold\": 0.42}) or a rule ({\"rule\": \"youden\"}, {\"rule\": \"precision\", \"target\": 0.9}, {\"rule\": \"recall\", \"target\": 0.9})."];
        }
        else if (request.Threshold is { } threshold)
        {
            if (rule is not null) errors["rule"] = ["Send either a threshold or a rule, not both."];
            if (!(threshold is > 0 and < 1)) errors["threshold"] = ["Must be above 0 and below 1."];
            if (request.Target is not null) errors["target"] = ["A target goes with the rule \"precision\" or \"recall\", not with a threshold."];
        }
        else if (!Rules.Contains(rule))
        {
            errors["rule"] = [$"Unknown rule '{request.Rule}'. Rules: {string.Join(", ", Rules)}."];
        }
        else if (rule == ThresholdSelection.YoudenRule)
        {
            if (request.Target is not null) errors["target"] = ["Youden's J takes no target."];
        }
        else if (request.Target is not { } target || !(target is > 0 and <= 1))
        {
            errors["target"] = [$"The rule \"{rule}\" needs a target {rule} above 0 and at most 1."];
        }
        if (errors.Count > 0) throw new ValidationException(errors);
        return request with { Rule = rule };
    }

    private (double Threshold, ThresholdOrigin Origin) Resolve(RegisteredModel model, ThresholdRequest request)
    {
        var validation = model.ValidationScores;
        var now = time.GetUtcNow();
        if (request.Threshold is { } threshold)
        {
            var point = validation is null ? null : ThresholdSelection.At(validation.Labels, validation.Scores, threshold);
            return (threshold, new ThresholdOrigin { Rule = ThresholdOrigin.ManualRule, Validation = point, ChosenAt = now });
        }

        if (validation is null)
        {
            var why = model.Settings.ValidationFraction == 0
                ? $"was trained without a validation part (validationFraction 0; the {model.Preset} preset validates on its test set, as the article did)"
                : "was trained by a version that did not keep its validation scores";
            throw new ConflictException("No validation scores",
                $"Model '{model.Id}' {why}, so no rule can choose its threshold without looking at the test set. Send an explicit " +
                "threshold ({\"threshold\": 0.42}) instead, or train a model with a validation part.");
        }
        if (!validation.HasBothClasses)
            throw new ConflictException("Validation part too small",
                $"The validation part of model '{model.Id}' ({validation.Count} images) lacks a class, which every rule needs. Send an explicit threshold instead.");

        var choice = request.Rule switch
        {
            ThresholdSelection.YoudenRule => ThresholdSelection.Youden(validation.Labels, validation.Scores),
            ThresholdSelection.PrecisionRule => ThresholdSelection.ForPrecision(validation.Labels, validation.Scores, request.Target!.Value),
            _ => ThresholdSelection.ForRecall(validation.Labels, validation.Scores, request.Target!.Value),
        };
        if (!choice.TargetReached)
            throw new ValidationException("target", OutOfReach(choice, validation.Count));
        // A threshold of exactly 0 or 1 (everything or nothing Positive) is no decision rule; the nearest usable one acts the same on the validation part.
        var chosen = Math.Clamp(choice.Threshold, MinThreshold, 1 - MinThreshold);
        return (chosen, new ThresholdOrigin
        {
            Rule = choice.Rule, Target = choice.Target, TargetReached = choice.Target is null ? null : true,
            Validation = ThresholdSelection.At(validation.Labels, validation.Scores, chosen), ChosenAt = now,
        });
    }

    private const double MinThreshold = 1e-6;

    private static string OutOfReach(ThresholdChoice choice, int count)
    {
        var point = choice.Validation;
        string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
        return choice.Rule == ThresholdSelection.PrecisionRule
            ? $"No threshold reaches precision {Format(choice.Target!.Value)} on the validation part ({count} images): the highest is " +
              $"{Format(point.Precision)} (threshold {Format(point.Threshold)}, recall {Format(point.Recall)}). Ask for a lower precision."
            : $"No threshold reaches recall {Format(choice.Target!.Value)} on the validation part ({count} images): the highest is " +
              $"{Format(point.Recall)} (threshold {Format(point.Threshold)}). Ask for a lower recall.";
    }
}
