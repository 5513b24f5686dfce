namespace EmotionApi.Http.Security;

/// <summary>
/// The rate limiter's policies, by name: an endpoint calls <c>RequireRateLimiting(RateLimitPolicies.X)</c>. Each
/// counts per API key (per client address without one) and is set by <c>RateLimits:&lt;Name&gt;:PermitsPerMinute</c>.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Prediction requests (<c>POST /api/predict</c>).</summary>
    public const string Predict = "Predict";

    /// <summary>Requests that store a dataset (an upload, a generated sample).</summary>
    public const string Uploads = "Uploads";

    /// <summary>Requests that queue a training job.</summary>
    public const string Jobs = "Jobs";
}
