using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.ScaleOut;

/// <summary>
/// A deployment in miniature: nodes as separate processes that share only a PostgreSQL job storage (a schema
/// of this deployment's own, dropped at the end) and a data folder (deleted at the end).
/// </summary>
public sealed class ScaleOutDeployment : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly List<ServiceProcess> nodes = [];
    private readonly double invisibilityTimeoutSeconds;

    /// <param name="invisibilityTimeoutSeconds">How long a killed worker's job stays invisible before another worker gets it.</param>
    public ScaleOutDeployment(double invisibilityTimeoutSeconds = 300)
    {
        TestPostgres.Require();
        this.invisibilityTimeoutSeconds = invisibilityTimeoutSeconds;
    }

    public string SchemaName { get; } = TestPostgres.NewSchemaName();

    public string DataPath { get; } = EmotionApiFactory.NewDataFolder();

    /// <summary>The deployment's admin key, configured as its SHA-256 (as an operator who keeps no secret in the configuration would); each node's client sends it.</summary>
    public string AdminKey { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts a node with <paramref name="roles"/> ("Api", "Worker") and waits until it is ready.</summary>
    public async Task<ServiceProcess> StartNodeAsync(string name, string roles)
    {
        var node = await ServiceProcess.StartAsync(name, new Dictionary<string, string>
        {
            ["Node__Roles"] = roles,
            ["Hangfire__Storage"] = "PostgreSql",
            ["ConnectionStrings__Hangfire"] = TestPostgres.ConnectionString,
            ["Hangfire__SchemaName"] = SchemaName,
            ["Hangfire__InvisibilityTimeoutSeconds"] = invisibilityTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hangfire__QueuePollIntervalSeconds"] = "1",
            ["Storage__DataPath"] = DataPath,
            ["Datasets__Sample__CreateOnStartup"] = "false",
            ["Auth__Keys__0__Name"] = "ops",
            ["Auth__Keys__0__Key"] = "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AdminKey))),
            ["Auth__Keys__0__Roles__0"] = "admin",
        }, StartTimeout);
        node.Client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        lock (nodes) nodes.Add(node);
        return node;
    }

    /// <summary>Every node's output, for assertion messages.</summary>
    public string Describe()
    {
        lock (nodes) return string.Join("\n", nodes.Select(node => node.Describe()));
    }

    public async ValueTask DisposeAsync()
    {
        List<ServiceProcess> started;
        lock (nodes) started = [.. nodes];
        foreach (var node in started) await node.DisposeAsync();
        await TestPostgres.DropSchemaAsync(SchemaName);
        try
        {
            if (Directory.Exists(DataPath)) Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ScaleOutCollection
{
    /// <summary>The process tests train in other processes: one at a time keeps them within their timeouts on two cores.</summary>
    public const string Name = "scale-out";
}
