using EmotionApi.Datasets;
using EmotionApi.Models;
using EmotionApi.Shared;
using EmotionApi.Training;
using Microsoft.Extensions.Options;

namespace EmotionApi.Hosting;

/// <summary>
/// Removes what crashed or killed operations left in the data folder, at start-up and then periodically, on every
/// node: work folders and files under tmp/ (uploads, sample datasets, model registrations, downloads), the temporary
/// files of atomic writes beside job records, checkpoints, prepared-image caches and the default-model choice, all
/// untouched for <see cref="StorageOptions.TempMaxAgeMinutes"/>; and the checkpoints of finished jobs. Age is what makes
/// it safe with several nodes sharing the folder: a live operation on any node keeps writing its files.
/// </summary>
public sealed class StaleFileSweeper(
    DataFolder folder,
    DatasetStore datasets,
    TrainingJobStore jobs,
    ModelRegistry models,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<StaleFileSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromMinutes(15);

    /// <summary>How long work may stay untouched before it is someone's leftover.</summary>
    public TimeSpan MaxAge => TimeSpan.FromMinutes(options.Value.TempMaxAgeMinutes);

    /// <summary>A quarter of <see cref="MaxAge"/>, at most 15 minutes: a leftover lives at most 1.25 times the age.</summary>
    public TimeSpan Interval => MaxAge / 4 < LongestInterval ? MaxAge / 4 : LongestInterval;

    /// <summary>Sweeps once; returns how many files and folders went.</summary>
    public int Sweep()
    {
        var cutoff = time.GetUtcNow().UtcDateTime - MaxAge;
        var deleted = folder.DeleteStaleTemporary(cutoff, logger) + jobs.DeleteAbandonedFiles(cutoff)
                      + datasets.DeleteAbandonedFiles(cutoff) + models.DeleteAbandonedFiles(cutoff);
        if (deleted > 0) logger.LogInformation("Removed {Count} leftover(s) of interrupted work from the data folder", deleted);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                Sweep();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A sweep is housekeeping: its failure must not stop the node.
                logger.LogWarning(e, "Sweeping the data folder's leftovers failed; the next sweep tries again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
