using System.ComponentModel.DataAnnotations;

namespace EmotionApi.Http.Security;

/// <summary>
/// Configuration section "RateLimits": a limit per policy of <see cref="RateLimitPolicies"/>, per caller. The defaults
/// only stop floods: the prediction limit is far above what one node serves, so a load benchmark is never throttled.
/// </summary>
public sealed class RateLimitsOptions : IValidatableObject
{
    public const string Section = "RateLimits";

    public RateLimitOptions Predict { get; set; } = new() { PermitsPerMinute = 600_000 };

    public RateLimitOptions Uploads { get; set; } = new() { PermitsPerMinute = 60 };

    public RateLimitOptions Jobs { get; set; } = new() { PermitsPerMinute = 60 };

    /// <summary>Each policy's name with its limit.</summary>
    public IEnumerable<(string Policy, RateLimitOptions Limit)> Policies =>
        [(RateLimitPolicies.Predict, Predict), (RateLimitPolicies.Uploads, Uploads), (RateLimitPolicies.Jobs, Jobs)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Policies
            .Where(policy => policy.Limit.PermitsPerMinute < 0)
            .Select(policy => new ValidationResult(
                $"{Section}:{policy.Policy}:{nameof(RateLimitOptions.PermitsPerMinute)} is {policy.Limit.PermitsPerMinute}: use 0 (no limit) or more."));
}
