namespace EmotionApi.Http.Security;

/// <summary>Configuration section "Auth": the API keys and their roles, checked by <see cref="AuthOptionsValidator"/> at start-up.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Shortest clear-text key accepted: a guessable key protects nothing.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The prefix of a key configured as its SHA-256 (64 hexadecimal digits follow).</summary>
    public const string Sha256Prefix = "sha256:";

    public AuthMode Mode { get; set; } = AuthMode.ApiKeys;

    public List<ApiKeyOptions> Keys { get; set; } = [];
}
