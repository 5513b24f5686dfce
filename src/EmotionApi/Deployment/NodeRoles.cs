using EmotionApi.Infrastructure;

namespace EmotionApi.Deployment;

/// <summary>Configuration section "Node": what this process does in a deployment.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>
    /// "Api" (serves the HTTP API and queues jobs), "Worker" (runs training jobs, serves only /health/*),
    /// or "Api,Worker" (both, the default: one process does everything).
    /// </summary>
    public string Roles { get; set; } = NodeRoles.Both.ToString();
}

/// <summary>The roles of this process, read from <see cref="NodeOptions.Roles"/> when the host is built.</summary>
public sealed record NodeRoles(bool ServesApi, bool RunsTrainingWorkers)
{
    public const string Api = "Api";
    public const string Worker = "Worker";

    public static NodeRoles Both { get; } = new(true, true);

    /// <summary>Parses "Api", "Worker" or "Api,Worker" (any case, any order, spaces allowed; empty means both).</summary>
    /// <exception cref="InvalidOperationException">The value names anything else, or no role.</exception>
    public static NodeRoles Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return Both;
        bool api = false, worker = false;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals(Api, StringComparison.OrdinalIgnoreCase)) api = true;
            else if (part.Equals(Worker, StringComparison.OrdinalIgnoreCase)) worker = true;
            else throw Invalid(value);
        }
        return api || worker ? new NodeRoles(api, worker) : throw Invalid(value);
    }

    public override string ToString() => (ServesApi, RunsTrainingWorkers) switch
    {
        (true, true) => $"{Api},{Worker}",
        (true, false) => Api,
        _ => Worker,
    };

    private static InvalidOperationException Invalid(string value) => new(
        $"Configuration {NodeOptions.Section}:{nameof(NodeOptions.Roles)} (environment variable {NodeOptions.Section}__{nameof(NodeOptions.Roles)}) " +
        $"is '{value}'. Use '{Api}' (HTTP API only), '{Worker}' (training worker only) or '{Api},{Worker}' (both, the default).");
}

public static class NodeSetup
{
    /// <summary>This process's roles, from configuration; registered as a service for the parts that read them later.</summary>
    /// <exception cref="InvalidOperationException">"Node:Roles" is not a valid set of roles: start-up stops here.</exception>
    public static NodeRoles AddNodeRoles(this WebApplicationBuilder builder)
    {
        var roles = builder.GetNodeRoles();
        builder.Services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section);
        builder.Services.AddSingleton(roles);
        return roles;
    }

    /// <summary>The roles configured for this process (parsed each call: the configuration is the source).</summary>
    public static NodeRoles GetNodeRoles(this WebApplicationBuilder builder) =>
        NodeRoles.Parse(builder.Configuration[$"{NodeOptions.Section}:{nameof(NodeOptions.Roles)}"]);

    /// <summary>
    /// A worker-only node's HTTP surface: the health probes and nothing else, so a worker never accepts
    /// uploads or serves predictions; errors still answer as problem details.
    /// </summary>
    public static WebApplication UseWorkerNodeDefaults(this WebApplication app)
    {
        ServiceDefaults.ConfigureTorch(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapServiceHealthChecks();
        return app;
    }
}
