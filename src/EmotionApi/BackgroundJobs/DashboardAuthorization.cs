using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using EmotionApi.Http.Security;
using Hangfire.Dashboard;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// Who may open the Hangfire dashboard: a request carrying an admin API key (<c>X-Api-Key</c> or
/// <c>Authorization: Bearer</c>, signed in by the API's authentication); HTTP Basic with an admin key's name as user
/// and the key as password (so a browser can ask for it); HTTP Basic with the configured dashboard user name and
/// password; and, in Development only, any local request. Everyone else gets 401 (403 with a key that is not admin).
/// </summary>
/// <param name="options">The dashboard's own user name and password, if configured.</param>
/// <param name="environment">Development opens the dashboard to local requests.</param>
/// <param name="keys">The API's keys; null when the node has none registered.</param>
public sealed class DashboardAuthorization(HangfireOptions options, IWebHostEnvironment environment, ApiKeyRing? keys)
    : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context) => Task.FromResult(Authorize(context.GetHttpContext()));

    private bool Authorize(HttpContext http)
    {
        if (environment.IsDevelopment() && IsLocal(http.Connection)) return true;
        if (http.User.KeyName() is not null && http.User.IsInRole(ApiRoles.Admin)) return true;

        var basicCredentials = !string.IsNullOrEmpty(options.DashboardUsername) && !string.IsNullOrEmpty(options.DashboardPassword);
        var adminKeys = keys is { Enforced: true };
        if (!basicCredentials && !adminKeys) return false;
        if (BasicCredentials(http.Request) is var (user, password)
            && ((basicCredentials && HasConfiguredCredentials(user, password)) || (adminKeys && IsAdminKey(user, password))))
            return true;
        // Lets a browser ask for the credentials.
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Hangfire dashboard\", charset=\"UTF-8\"";
        return false;
    }

    private static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is { } remote
        && (IPAddress.IsLoopback(remote) || remote.Equals(connection.LocalIpAddress));

    private static (string User, string Password)? BasicCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
            return null;

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }
        var separator = decoded.IndexOf(':');
        return separator < 0 ? null : (decoded[..separator], decoded[(separator + 1)..]);
    }

    private bool HasConfiguredCredentials(string user, string password)
    {
        // Both compared in constant time: the answer's timing says nothing about how much matched.
        var userMatches = FixedTimeEquals(user, options.DashboardUsername!);
        var passwordMatches = FixedTimeEquals(password, options.DashboardPassword!);
        return userMatches & passwordMatches;
    }

    /// <summary>The password is an admin key (compared by the key ring, in constant time) and the user its name.</summary>
    private bool IsAdminKey(string user, string password) =>
        password.Length > 0 && keys!.Find(password) is { } holder
        && holder.Roles.Contains(ApiRoles.Admin) && string.Equals(holder.Name, user, StringComparison.OrdinalIgnoreCase);

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
