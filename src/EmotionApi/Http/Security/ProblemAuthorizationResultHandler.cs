using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace EmotionApi.Http.Security;

/// <summary>
/// Answers a refusal of the authorization middleware as a problem: 401 (no key, or a key this service does not know)
/// with <c>WWW-Authenticate: Bearer</c> and how to send a key; 403 (a key without the role) naming the roles that would do.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // The scheme's result of this request (the handler keeps it): the authentication middleware keeps successes only.
            var failure = (await context.AuthenticateAsync(ApiKeyAuthentication.Scheme)).Failure;
            context.Response.Headers.WWWAuthenticate = failure is null
                ? $"{ApiKeyAuthentication.BearerScheme} realm=\"EmotionApi\""
                : $"{ApiKeyAuthentication.BearerScheme} realm=\"EmotionApi\", error=\"invalid_token\"";
            await (failure is null
                ? ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, "API key required",
                    $"{context.Request.Method} {context.Request.Path} needs an API key. {ApiKeyAuthentication.HowToSend}")
                : ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, "API key not accepted",
                    $"{failure.Message} {ApiKeyAuthentication.HowToSend}"));
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = ApiPolicies.RolesAdmittedBy(context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? []);
            var held = context.User.FindAll(ClaimTypes.Role).Select(claim => claim.Value).ToList();
            await ProblemWriter.WriteAsync(context, StatusCodes.Status403Forbidden, "Role required",
                $"The key '{context.User.Identity?.Name}' has the role{(held.Count == 1 ? "" : "s")} {Listed(held)}; " +
                $"{context.Request.Method} {context.Request.Path} needs {Listed(needed, "or")}.");
            return;
        }

        await standard.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Listed(IReadOnlyList<string> roles, string conjunction = "and") => roles.Count switch
    {
        0 => "none",
        1 => roles[0],
        _ => string.Join(", ", roles.Take(roles.Count - 1)) + $" {conjunction} " + roles[^1],
    };
}
