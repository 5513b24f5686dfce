using System.Security.Cryptography;
using System.Text;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Security;

/// <summary>
/// One host as an operator deploys it: Production, API keys for each role (one configured as its SHA-256), small rate
/// limits and a job quota of one, so that limits are crossed in a few requests. Each test uses keys of its own where
/// it counts requests: limits count per key.
/// </summary>
public sealed class SecuredServiceFixture : IAsyncLifetime
{
    public const int PermitsPerMinute = 5;
    public const int MaxUnfinishedJobsPerKey = 1;

    /// <summary>Key name to (roles, whether configured as its SHA-256).</summary>
    private static readonly Dictionary<string, (string[] Roles, bool Hashed)> KeySpecs = new()
    {
        ["ops"] = (["admin"], false),
        ["trainer"] = (["trainer"], false),
        ["predictor"] = (["predictor"], false),
        ["hashed"] = (["predictor"], true),
        ["throttled"] = (["Admin"], false),
        ["quota"] = (["trainer"], false),
        ["client"] = (["trainer", "predictor"], false),
        ["dashboard"] = (["admin"], true),
    };

    public SecuredServiceFixture()
    {
        Keys = KeySpecs.Keys.ToDictionary(name => name, _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        var settings = TrainingTestKit.HostSettings(
            ("RateLimits:Predict:PermitsPerMinute", $"{PermitsPerMinute}"),
            ("RateLimits:Uploads:PermitsPerMinute", $"{PermitsPerMinute}"),
            ("RateLimits:Jobs:PermitsPerMinute", $"{PermitsPerMinute}"),
            ("TrainingJobs:MaxUnfinishedJobsPerKey", $"{MaxUnfinishedJobsPerKey}"),
            // The authentication's own messages too: no key may reach the log at any level.
            ("Logging:LogLevel:Default", "Debug"));
        var index = 0;
        foreach (var (name, (roles, hashed)) in KeySpecs)
        {
            settings[$"Auth:Keys:{index}:Name"] = name;
            settings[$"Auth:Keys:{index}:Key"] = hashed ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Keys[name]))) : Keys[name];
            for (var r = 0; r < roles.Length; r++) settings[$"Auth:Keys:{index}:Roles:{r}"] = roles[r];
            index++;
        }
        Factory = new EmotionApiFactory { Environment = "Production", Settings = settings, LogCapture = Log };
    }

    public CapturedLog Log { get; } = new();

    public EmotionApiFactory Factory { get; }

    /// <summary>Each key's secret, by its name.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; }

    /// <summary>A client without a key.</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>A client that sends the named key as <c>X-Api-Key</c>, or as <c>Authorization: Bearer</c>.</summary>
    public HttpClient As(string keyName, bool bearer = false)
    {
        var client = Factory.CreateClient();
        if (bearer) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Keys[keyName]);
        else client.DefaultRequestHeaders.Add("X-Api-Key", Keys[keyName]);
        return client;
    }

    public ValueTask InitializeAsync()
    {
        Factory.CreateClient().Dispose(); // starts the host
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SecuredServiceCollection : ICollectionFixture<SecuredServiceFixture>
{
    public const string Name = "secured-service";
}
