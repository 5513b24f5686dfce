using EmotionApi.Deployment;
using EmotionApi.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EmotionApi.Http.Security;

/// <summary>
/// Who may call the API and how often: ASP.NET Core's authentication with the API-key scheme, authorization policies
/// per role (<see cref="ApiPolicies"/>), and its rate limiter with a policy per kind of costly request
/// (<see cref="RateLimitPolicies"/>). Endpoints opt in by name; an endpoint that names no policy still needs a key.
/// </summary>
public static class SecuritySetup
{
    /// <summary>
    /// Options "Auth" and "RateLimits" with their checks, the key ring, the scheme, the policies and the limiter; on
    /// nodes that serve the API only (a worker-only node answers nothing but its health probes, and needs no key).
    /// </summary>
    public static WebApplicationBuilder AddApiSecurity(this WebApplicationBuilder builder)
    {
        if (!builder.GetNodeRoles().ServesApi) return builder;
        var services = builder.Services;
        services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddValidatedOptions<RateLimitsOptions>(RateLimitsOptions.Section);
        services.AddSingleton<ApiKeyRing>();

        services.AddAuthentication(ApiKeyAuthentication.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthentication.Scheme, null);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<ApiKeyRing>(ConfigurePolicies);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitsOptions>>((limiter, limits) =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            foreach (var (policy, limit) in limits.Value.Policies)
                limiter.AddPolicy(policy, new CallerRateLimitPolicy(policy, limit.PermitsPerMinute, What(policy)));
        });
        return builder;
    }

    /// <summary>Authentication, authorization and rate limiting, in that order: limits count per key, and only for callers let in.</summary>
    public static WebApplication UseApiSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// One policy per entry of <see cref="ApiPolicies.Roles"/>, and a fallback for endpoints that name none: with keys,
    /// a role of the list, resp. any key; without (an open service), everyone.
    /// </summary>
    private static void ConfigurePolicies(AuthorizationOptions options, ApiKeyRing ring)
    {
        foreach (var (name, roles) in ApiPolicies.Roles)
            options.AddPolicy(name, policy =>
            {
                if (ring.Enforced) policy.RequireRole(roles);
                else policy.RequireAssertion(_ => true);
            });
        options.FallbackPolicy = ring.Enforced ? new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build() : null;
    }

    private static string What(string policy) => policy switch
    {
        RateLimitPolicies.Predict => "prediction requests",
        RateLimitPolicies.Uploads => "dataset uploads",
        RateLimitPolicies.Jobs => "training job requests",
        _ => "requests",
    };
}
