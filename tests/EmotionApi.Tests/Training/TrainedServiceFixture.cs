using EmotionApi.Learning.Training;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using EmotionApi.Training;

namespace EmotionApi.Tests.Training;

/// <summary>
/// One host with a sample dataset and a model trained by a tiny job: the starting point of the result,
/// model and prediction tests. Prediction limits are set low so that the limit tests stay small.
/// </summary>
public sealed class TrainedServiceFixture : IAsyncLifetime
{
    /// <summary>The tiny preset's epochs, as its owner tuned them for the sample faces (no early stopping: all of them run).</summary>
    public static int Epochs => TrainingPresets.Get(TrainingPresets.Tiny).Epochs;

    public const int MaxFiles = 12;
    public const int MaxFileBytes = 256 * 1024;
    public const int MaxRequestBytes = 1024 * 1024;

    public TrainedServiceFixture()
    {
        Factory = new EmotionApiFactory
        {
            Settings = TrainingTestKit.HostSettings(
                ("Prediction:MaxFiles", MaxFiles.ToString()),
                ("Prediction:MaxFileBytes", MaxFileBytes.ToString()),
                ("Prediction:MaxRequestBytes", MaxRequestBytes.ToString())),
            ExtraServices = services =>
            {
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
                // Every scrape sees the measurements made just before it (the exporter caches a scrape 300 ms by default).
                services.Configure<PrometheusAspNetCoreOptions>(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
            },
        };
    }

    public EmotionApiFactory Factory { get; }

    /// <summary>Spans this host (and any other in the process: pick by id) exported, from the start.</summary>
    public ExportedSpans Spans { get; } = new();

    public HttpClient Client { get; private set; } = null!;
    public string DatasetId { get; private set; } = "";
    public TrainingJobView Job { get; private set; } = null!;
    public string ModelId => Job.ModelId!;

    public async ValueTask InitializeAsync()
    {
        Client = Factory.CreateClient();
        DatasetId = await TrainingTestKit.CreateSampleDatasetAsync(Client, count: 300);
        Job = await TrainingTestKit.TrainToSuccessAsync(Client, new { datasetId = DatasetId, preset = "tiny" });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedServiceCollection : ICollectionFixture<TrainedServiceFixture>
{
    public const string Name = "trained-service";
}
