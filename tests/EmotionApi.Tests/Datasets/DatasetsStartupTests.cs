using System.Net.Http.Json;
using EmotionApi.Datasets;
using EmotionApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmotionApi.Tests.Datasets;

public sealed class DatasetsStartupTests
{
    private static Dictionary<string, string?> SampleOnStartup(bool create) => new()
    {
        ["Datasets:Sample:CreateOnStartup"] = create ? "true" : "false",
        ["Datasets:Sample:Count"] = "12",
        ["Datasets:Sample:Width"] = "16",
        ["Datasets:Sample:Height"] = "20",
    };

    /// <summary>Starts the host and waits for its dataset start-up work to finish.</summary>
    private static async Task<HttpClient> StartAsync(EmotionApiFactory factory)
    {
        var client = factory.CreateClient();
        var startup = factory.Services.GetServices<IHostedService>().OfType<DatasetsStartup>().Single();
        await startup.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2));
        return client;
    }

    [Fact]
    public async Task A_sample_dataset_is_created_at_startup_only_when_there_is_no_dataset()
    {
        using var first = new EmotionApiFactory { Settings = SampleOnStartup(create: true) };
        using var firstClient = await StartAsync(first);

        var created = Assert.Single((await firstClient.GetFromJsonAsync<List<DatasetSummaryView>>("/api/datasets", DatasetsClient.Json))!);
        Assert.Equal("sample", created.Source);
        Assert.Equal(12, created.ImageCount);
        Assert.Equal(new DimensionView(16, 16, 16), created.ImageSizes.Width);
        Assert.Equal(new DimensionView(20, 20, 20), created.ImageSizes.Height);

        using var restarted = new EmotionApiFactory { DataPath = first.DataPath, Settings = SampleOnStartup(create: true) };
        using var restartedClient = await StartAsync(restarted);
        var after = (await restartedClient.GetFromJsonAsync<List<DatasetSummaryView>>("/api/datasets", DatasetsClient.Json))!;
        Assert.Equal([created.Id], after.Select(summary => summary.Id));
    }

    [Fact]
    public async Task No_sample_dataset_is_created_unless_configured()
    {
        using var factory = new EmotionApiFactory { Settings = SampleOnStartup(create: false) };
        using var client = await StartAsync(factory);

        Assert.Empty((await client.GetFromJsonAsync<List<DatasetSummaryView>>("/api/datasets", DatasetsClient.Json))!);
    }

    [Theory]
    [InlineData("Datasets:MaxEntries", "0")]
    [InlineData("Datasets:MaxCompressionRatio", "1")]
    [InlineData("Datasets:Sample:Count", "5")]
    public void An_invalid_limit_stops_the_service_at_startup_naming_it(string key, string value)
    {
        var settings = SampleOnStartup(create: false);
        settings[key] = value;
        using var factory = new EmotionApiFactory { Settings = settings };

        var error = factory.StartFailure<Exception>();

        var validation = Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(error.GetBaseException());
        Assert.Contains(key.Split(':')[^1], validation.Message);
    }
}
