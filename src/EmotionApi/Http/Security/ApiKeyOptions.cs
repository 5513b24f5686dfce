namespace EmotionApi.Http.Security;

/// <summary>One API key of <c>Auth:Keys</c> (environment variables <c>Auth__Keys__0__Name</c>, <c>Auth__Keys__0__Key</c>, <c>Auth__Keys__0__Roles__0</c>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key: logs, rate limits and job records name the key by it (never by the key itself).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// The secret in clear text (at least <see cref="AuthOptions.MinKeyLength"/> characters), or its SHA-256 as
    /// <c>sha256:</c> followed by 64 hexadecimal digits, so the configuration need not hold the key itself.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>admin, trainer and/or predictor (<see cref="ApiRoles"/>).</summary>
    public List<string> Roles { get; set; } = [];
}
