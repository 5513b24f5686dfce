using System.Net;
using EmotionApi.Deployment;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.BackgroundJobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmotionApi.Tests.ScaleOut;

/// <summary>How a node reads its roles and job storage, and the start-up failures that name the key to fix.</summary>
public class NodeConfigurationTests
{
    [Theory]
    [InlineData(null, true, true)]
    [InlineData("", true, true)]
    [InlineData("Api", true, false)]
    [InlineData("worker", false, true)]
    [InlineData("Api,Worker", true, true)]
    [InlineData(" WORKER , api ", true, true)]
    public void Roles_are_read_from_Api_Worker_or_both(string? value, bool servesApi, bool runsWorkers)
    {
        var roles = NodeRoles.Parse(value);

        Assert.Equal(servesApi, roles.ServesApi);
        Assert.Equal(runsWorkers, roles.RunsTrainingWorkers);
        Assert.Equal(roles, NodeRoles.Parse(roles.ToString()));
    }

    [Theory]
    [InlineData("Wroker")]
    [InlineData("Api,Gpu")]
    [InlineData(",")]
    public void Unknown_roles_stop_the_start_naming_the_setting_and_its_values(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => NodeRoles.Parse(value));

        Assert.Contains("Node__Roles", error.Message);
        Assert.Contains($"'{value}'", error.Message);
        Assert.Contains("'Api,Worker'", error.Message);
    }

    [Fact]
    public void PostgreSql_storage_without_a_connection_string_stops_the_start_naming_the_key_to_set()
    {
        using var host = new EmotionApiFactory { Settings = new Dictionary<string, string?> { ["Hangfire:Storage"] = "PostgreSql" } };

        var error = host.StartFailure<OptionsValidationException>();

        Assert.Contains("ConnectionStrings:Hangfire (environment variable ConnectionStrings__Hangfire)", error.Message);
    }

    [Theory]
    [InlineData("Api", "no worker could ever run the jobs this node queues")]
    [InlineData("Worker", "no API node could ever queue a job for this worker")]
    public void A_single_role_on_the_in_memory_storage_stops_the_start(string roles, string reason)
    {
        using var host = new EmotionApiFactory { Settings = new Dictionary<string, string?> { ["Node:Roles"] = roles } };

        var error = host.StartFailure<OptionsValidationException>();

        Assert.Contains(reason, error.Message);
        Assert.Contains("Hangfire:Storage=PostgreSql", error.Message);
    }

    [Theory]
    [InlineData("Hangfire\"; DROP TABLE x; --")]
    [InlineData("UpperCase")]
    [InlineData("9starts_with_a_digit")]
    public void A_schema_name_that_is_not_a_plain_identifier_is_refused(string schemaName)
    {
        var options = new HangfireOptions { Storage = JobStorageKind.PostgreSql, SchemaName = schemaName, ConnectionString = "Host=db;Database=x" };

        var result = new HangfireOptionsValidator(NodeRoles.Both).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Hangfire:SchemaName", result.FailureMessage);
    }

    [Fact]
    public void The_default_node_runs_both_roles_on_the_embedded_storage_with_in_process_locking()
    {
        using var host = new EmotionApiFactory();
        using var client = host.CreateClient();

        var options = host.Services.GetRequiredService<IOptions<HangfireOptions>>().Value;
        Assert.Equal(JobStorageKind.InMemory, options.Storage);
        Assert.Equal(TimeSpan.FromMinutes(5), options.InvisibilityTimeout);
        Assert.Equal(NodeRoles.Both, host.Services.GetRequiredService<NodeRoles>());
        Assert.IsType<InProcessJobExecutionLock>(host.Services.GetRequiredService<IJobExecutionLock>());
    }
}
