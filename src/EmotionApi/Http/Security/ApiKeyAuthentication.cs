namespace EmotionApi.Http.Security;

/// <summary>The API-key authentication scheme's name and the two ways a key is sent.</summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    /// <summary>The header that carries a key: <c>X-Api-Key: &lt;key&gt;</c>.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The other way: <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>How to send a key, for the answers that ask for one.</summary>
    public const string HowToSend = $"Send an API key as '{HeaderName}: <key>' or 'Authorization: {BearerScheme} <key>'.";
}
