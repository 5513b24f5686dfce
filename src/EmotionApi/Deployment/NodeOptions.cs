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

    /// <summary>The section as configured (read when the host is built: the roles decide which services it gets).</summary>
    public static NodeOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<NodeOptions>() ?? new NodeOptions();
}
