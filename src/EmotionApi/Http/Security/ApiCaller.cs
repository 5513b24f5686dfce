using System.Security.Claims;

namespace EmotionApi.Http.Security;

/// <summary>Who is calling, as the features and the rate limiter need to know it.</summary>
public static class ApiCaller
{
    /// <summary>The name of the API key the request was signed in with; null for an anonymous caller (an open service).</summary>
    public static string? KeyName(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthentication.Scheme, Name: { } name } ? name : null;

    /// <summary>What rate limits count per: the key's name, or the client's address when no key was sent.</summary>
    public static string PartitionOf(HttpContext context) =>
        context.User.KeyName() is { } key ? $"key:{key}" : $"address:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";

    /// <summary>The caller in a sentence: "The key 'ops'" or "This client address".</summary>
    public static string Describe(HttpContext context) =>
        context.User.KeyName() is { } key ? $"The key '{key}'" : "This client address";
}
