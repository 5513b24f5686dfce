namespace EmotionApi.Deployment;

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
