using System.Net;
using System.Text.Json;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Health;

/// <summary>The probes Docker and Kubernetes call, on the embedded default (InMemory jobs, both roles).</summary>
[Collection(ApiCollection.Name)]
public class HealthEndpointsTests(EmotionApiFactory factory)
{
    [Fact]
    public async Task Liveness_answers_200_Healthy()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_answers_200_with_the_job_storage_and_the_data_folder_healthy_and_the_node_s_roles()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var report = JsonDocument.Parse(text);
        var root = report.RootElement;
        Assert.Equal("Healthy", root.GetProperty("status").GetString());
        Assert.Equal("Api,Worker", root.GetProperty("node").GetProperty("roles").GetString());
        var checks = root.GetProperty("checks");
        Assert.Equal(["data-folder", "job-storage"], checks.EnumerateObject().Select(check => check.Name).Order());
        Assert.All(checks.EnumerateObject(), check => Assert.Equal("Healthy", check.Value.GetProperty("status").GetString()));
        Assert.Contains(factory.DataPath, checks.GetProperty("data-folder").GetProperty("description").GetString());
        Assert.Equal("In-Memory Storage", checks.GetProperty("job-storage").GetProperty("description").GetString());
    }
}
