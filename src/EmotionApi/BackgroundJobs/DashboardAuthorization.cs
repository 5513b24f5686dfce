using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// Who may open the Hangfire dashboard: anyone presenting the configured user name and password (HTTP
/// Basic), and, in Development only, any local request. Everyone else gets 401.
/// </summary>
public sealed class DashboardAuthorization(HangfireOptions options, IWebHostEnvironment environment) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (environment.IsDevelopment() && IsLocal(http.Connection)) return true;
        if (string.IsNullOrEmpty(options.DashboardUsername) || string.IsNullOrEmpty(options.DashboardPassword)) return false;
        if (HasValidCredentials(http.Request)) return true;
        // Lets a browser ask for the credentials.
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Hangfire dashboard\", charset=\"UTF-8\"";
        return false;
    }

    private static bool IsLocal(ConnectionInfo connection) =>
        connection.RemoteIpAddress is { } remote
        && (IPAddress.IsLoopback(remote) || remote.Equals(connection.LocalIpAddress));

    private bool HasValidCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
            return false;

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var separator = decoded.IndexOf(':');
        if (separator < 0) return false;
        // Both compared in constant time: the answer's timing says nothing about how much matched.
        var userMatches = FixedTimeEquals(decoded[..separator], options.DashboardUsername!);
        var passwordMatches = FixedTimeEquals(decoded[(separator + 1)..], options.DashboardPassword!);
        return userMatches & passwordMatches;
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
