using EmotionApi.Learning.Data;
using Microsoft.Extensions.Options;

namespace EmotionApi.Datasets;

/// <summary>
/// Start-up work that must not delay the service: when <see cref="SampleDatasetOptions.CreateOnStartup"/> is set and
/// there is no dataset at all, makes the sample dataset so a fresh service has something to train on. (What
/// interrupted uploads left in tmp/ goes with the data folder's sweeper.)
/// </summary>
public sealed class DatasetsStartup(
    DatasetStore store,
    IOptions<SampleDatasetOptions> sampleOptions,
    ILogger<DatasetsStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting
        try
        {
            var sample = sampleOptions.Value;
            if (!sample.CreateOnStartup || store.List().Count > 0) return;
            var faces = new SyntheticFacesOptions { Count = sample.Count, Seed = sample.Seed, Width = sample.Width, Height = sample.Height };
            var summary = await Task.Run(
                () => store.CreateSample(faces, SampleDatasetRequest.DefaultNameOf(faces), stoppingToken), stoppingToken);
            logger.LogInformation("Created the sample dataset {DatasetId} at start-up", summary.Id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Dataset start-up work failed; the service runs on without it");
        }
    }
}
