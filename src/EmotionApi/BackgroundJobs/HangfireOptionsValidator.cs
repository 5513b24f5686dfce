using EmotionApi.Deployment;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EmotionApi.BackgroundJobs;

/// <summary>Start-up checks of "Hangfire" that need more than one key (and the node's roles).</summary>
public sealed class HangfireOptionsValidator(NodeRoles roles) : IValidateOptions<HangfireOptions>
{
    public ValidateOptionsResult Validate(string? name, HangfireOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Storage))
            failures.Add($"Hangfire:Storage is '{options.Storage}': use InMemory or PostgreSql.");

        if (options.Storage == JobStorageKind.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                failures.Add("Hangfire:Storage is PostgreSql but no connection string is set: set ConnectionStrings:Hangfire " +
                             "(environment variable ConnectionStrings__Hangfire), for example " +
                             "'Host=postgres;Port=5432;Database=emotionapi;Username=emotionapi;Password=...'.");
            }
            else
            {
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException e)
                {
                    failures.Add($"ConnectionStrings:Hangfire is not a valid PostgreSQL connection string: {e.Message}");
                }
            }
            if (!HangfireOptions.PlainSchemaName().IsMatch(options.SchemaName ?? ""))
                failures.Add($"Hangfire:SchemaName '{options.SchemaName}' must be lower-case letters, digits and underscores (at most 63), not starting with a digit.");
        }
        else if (!roles.ServesApi || !roles.RunsTrainingWorkers)
        {
            failures.Add($"Node:Roles is '{roles}' but Hangfire:Storage is InMemory, which lives inside one process: " +
                         (roles.ServesApi ? "no worker could ever run the jobs this node queues. " : "no API node could ever queue a job for this worker. ") +
                         "Share a PostgreSQL job storage between the nodes (Hangfire:Storage=PostgreSql and ConnectionStrings:Hangfire), " +
                         "or run both roles in one process (Node:Roles=Api,Worker).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
