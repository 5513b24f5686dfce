using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace EmotionApi.Http.Security;

/// <summary>
/// The configured keys, each kept only as its SHA-256, and whether the API asks for them. A presented key is hashed
/// and compared with every configured digest in constant time, so neither the answer nor its timing says how much of
/// a key matched or which key came close.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly IReadOnlyList<(byte[] Digest, ApiKeyHolder Holder)> keys;

    public ApiKeyRing(IOptions<AuthOptions> options)
    {
        var auth = options.Value;
        keys = auth.Keys
            .Select(key => (DigestOf(key.Key!), Holder(key.Name!, key.Roles)))
            .ToList();
        Enforced = auth.Mode == AuthMode.ApiKeys && keys.Count > 0;
    }

    /// <summary>True when callers must present a key: keys are configured and <c>Auth:Mode</c> is not None.</summary>
    public bool Enforced { get; }

    /// <summary>The holder of <paramref name="presented"/> (name and roles), or null for a key this service does not know.</summary>
    public ApiKeyHolder? Find(string presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyHolder? holder = null;
        // Every digest is compared, whatever matched before.
        foreach (var key in keys)
            if (CryptographicOperations.FixedTimeEquals(digest, key.Digest) && holder is null) holder = key.Holder;
        return holder;
    }

    /// <summary>The SHA-256 of a configured key: decoded from <c>sha256:&lt;hex&gt;</c>, or hashed from the clear text.</summary>
    internal static byte[] DigestOf(string configured) =>
        configured.StartsWith(AuthOptions.Sha256Prefix, StringComparison.OrdinalIgnoreCase)
            ? Convert.FromHexString(configured[AuthOptions.Sha256Prefix.Length..])
            : SHA256.HashData(Encoding.UTF8.GetBytes(configured));

    /// <summary>The key's holder with its roles spelled as <see cref="ApiRoles"/> spells them (configuration may use any case).</summary>
    private static ApiKeyHolder Holder(string name, IEnumerable<string> roles) => new(name,
        roles.Select(role => ApiRoles.All.First(known => known.Equals(role.Trim(), StringComparison.OrdinalIgnoreCase))).Distinct().ToList());
}
