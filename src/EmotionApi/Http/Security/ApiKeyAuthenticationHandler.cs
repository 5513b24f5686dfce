using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EmotionApi.Http.Security;

/// <summary>
/// The API-key scheme: reads the key from <c>X-Api-Key</c> or <c>Authorization: Bearer</c> and, when it is one of
/// <see cref="ApiKeyRing"/>'s, signs the request in as the key's name with its roles. No key: no result (an endpoint
/// that needs one answers 401). Failure messages never quote the key: the framework logs them.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing ring)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // An open service (no key configured) checks nothing: a key sent anyway changes nothing.
        if (!ring.Enforced) return Task.FromResult(AuthenticateResult.NoResult());

        var (presented, problem) = PresentedKey(Request);
        if (problem is not null) return Task.FromResult(AuthenticateResult.Fail(problem));
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());

        if (ring.Find(presented) is not { } holder)
            return Task.FromResult(AuthenticateResult.Fail("The API key is not one this service knows."));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(holder.ToPrincipal(Scheme.Name), Scheme.Name)));
    }

    /// <summary>The key the request carries, or what is wrong with how it carries one.</summary>
    private static (string? Key, string? Problem) PresentedKey(HttpRequest request)
    {
        string? headerKey = null, bearerKey = null;
        var header = request.Headers[ApiKeyAuthentication.HeaderName];
        if (header.Count > 1) return (null, $"The request has {header.Count} {ApiKeyAuthentication.HeaderName} headers; send one.");
        if (header.Count == 1)
        {
            headerKey = header[0]?.Trim();
            if (string.IsNullOrEmpty(headerKey)) return (null, $"The {ApiKeyAuthentication.HeaderName} header is empty.");
        }

        // Other schemes (Basic for the jobs dashboard) are not this scheme's business.
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var authorization)
            && authorization.Scheme.Equals(ApiKeyAuthentication.BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            bearerKey = authorization.Parameter?.Trim();
            if (string.IsNullOrEmpty(bearerKey)) return (null, "The Authorization header says Bearer but carries no key.");
        }

        if (headerKey is not null && bearerKey is not null && !string.Equals(headerKey, bearerKey, StringComparison.Ordinal))
            return (null, $"The {ApiKeyAuthentication.HeaderName} header and Authorization: Bearer carry different keys; send one.");
        return (headerKey ?? bearerKey, null);
    }
}
