namespace EmotionApi.Http.Security;

/// <summary>One policy's limit: <c>RateLimits:&lt;Name&gt;:PermitsPerMinute</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests one caller may make in a minute (a fixed window); 0 = no limit.</summary>
    public int PermitsPerMinute { get; set; }
}
