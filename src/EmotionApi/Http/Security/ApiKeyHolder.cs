using System.Security.Claims;

namespace EmotionApi.Http.Security;

/// <summary>Who holds a configured key: its name (never the key) and its roles.</summary>
public sealed record ApiKeyHolder(string Name, IReadOnlyList<string> Roles)
{
    /// <summary>A fresh principal for one request: the key's name as its name, its roles as role claims.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = Roles.Select(role => new Claim(ClaimTypes.Role, role)).Prepend(new Claim(ClaimTypes.Name, Name));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
