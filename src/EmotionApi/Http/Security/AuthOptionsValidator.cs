using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace EmotionApi.Http.Security;

/// <summary>
/// Start-up checks of "Auth": every key well formed, named once, with known roles; and no API node outside Development
/// without keys unless <c>Auth:Mode</c> is None on purpose. A failure stops the start with a message naming the setting.
/// </summary>
public sealed partial class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
            failures.Add($"Auth:Mode is '{options.Mode}': use ApiKeys (the default) or None.");
        else if (options.Mode == AuthMode.None)
        {
            if (options.Keys.Count > 0)
                failures.Add($"Auth:Mode is None (no authentication) but Auth:Keys lists {options.Keys.Count} key(s), which would be ignored: " +
                             "remove the keys, or remove Auth:Mode to require them.");
        }
        else if (options.Keys.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add(
                $"No API key is configured (Auth:Keys) and the environment is '{environment.EnvironmentName}', not Development: anyone who " +
                "reaches this node could delete every dataset and model and queue unlimited training. Configure at least one key, for example " +
                "the environment variables Auth__Keys__0__Name=ops, Auth__Keys__0__Key=<a random secret of 16 characters or more, or " +
                "sha256:<its SHA-256 in hex>>, Auth__Keys__0__Roles__0=admin (README, Deployment); or set Auth:Mode=None (Auth__Mode=None) " +
                "to run without authentication on purpose.");
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var digests = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var at = $"Auth:Keys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name) || !PlainName().IsMatch(key.Name))
                failures.Add($"{at}:Name is '{key.Name}': give each key a name of 1 to 64 letters, digits, '.', '_' or '-'.");
            else if (!names.TryAdd(key.Name, i))
                failures.Add($"{at}:Name '{key.Name}' is also the name of Auth:Keys:{names[key.Name]}: names must differ.");

            if (KeyProblem(key.Key) is { } problem) failures.Add($"{at}:Key {problem}");
            else if (!digests.TryAdd(Convert.ToHexString(ApiKeyRing.DigestOf(key.Key!)), i))
                failures.Add($"{at}:Key is the same key as Auth:Keys:{digests[Convert.ToHexString(ApiKeyRing.DigestOf(key.Key!))]}: give each holder a key of its own.");

            if (key.Roles.Count == 0)
                failures.Add($"{at}:Roles is empty: give the key one or more of {string.Join(", ", ApiRoles.All)} ({at}:Roles:0=...).");
            foreach (var role in key.Roles.Where(role => !ApiRoles.All.Contains(role?.Trim(), StringComparer.OrdinalIgnoreCase)))
                failures.Add($"{at}:Roles has '{role}', which is not a role: use {string.Join(", ", ApiRoles.All)}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with a configured key (never quoting it), or null.</summary>
    private static string? KeyProblem(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "is empty: set the secret, or sha256:<64 hex digits> of it.";
        if (key.StartsWith(AuthOptions.Sha256Prefix, StringComparison.OrdinalIgnoreCase))
            return Sha256Hex().IsMatch(key[AuthOptions.Sha256Prefix.Length..]) ? null
                : "starts with sha256: but is not followed by exactly 64 hexadecimal digits (printf %s \"$KEY\" | sha256sum).";
        if (key.Length < AuthOptions.MinKeyLength) return $"is shorter than {AuthOptions.MinKeyLength} characters: use a long random secret (openssl rand -hex 32).";
        if (key.Any(char.IsWhiteSpace) || key.Any(char.IsControl)) return "contains white space or control characters, which no HTTP header carries intact.";
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex PlainName();

    [GeneratedRegex("^[0-9A-Fa-f]{64}$")]
    private static partial Regex Sha256Hex();
}
