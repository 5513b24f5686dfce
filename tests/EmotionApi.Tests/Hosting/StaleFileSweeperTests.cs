using EmotionApi.Hosting;
using EmotionApi.Learning.IO;
using EmotionApi.Shared;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmotionApi.Tests.Hosting;

/// <summary>What crashed work leaves in the data folder goes once it is older than Storage:TempMaxAgeMinutes; live work stays.</summary>
public sealed class StaleFileSweeperTests
{
    private static readonly TimeSpan Stale = TimeSpan.FromHours(2), Young = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task At_start_up_leftovers_older_than_the_age_go_and_younger_work_stays()
    {
        var dataPath = EmotionApiFactory.NewDataFolder();
        var tmp = Path.Combine(dataPath, "tmp");
        var staleUpload = Folder(tmp, "dataset-0123", Stale);
        var staleRegistration = Folder(tmp, "model-0a1b2c3d4e5f-89ab", Stale);
        var staleDownload = FileAged(Path.Combine(tmp, "download-0a1b2c3d4e5f-1234.zip"), Stale);
        var liveUpload = Folder(tmp, "dataset-4567", Young);
        var touchedUpload = Folder(tmp, "dataset-89ab", Stale);
        File.SetLastWriteTimeUtc(Path.Combine(touchedUpload, "upload.zip"), DateTime.UtcNow); // a slow upload still arriving
        var jobs = Path.Combine(dataPath, "jobs");
        var deadRecordWrite = FileAged(AtomicFile.TemporaryPathFor(Path.Combine(jobs, "0a1b2c3d4e5f", "job.json")), Stale);
        var liveRecordWrite = FileAged(AtomicFile.TemporaryPathFor(Path.Combine(jobs, "0a1b2c3d4e5f", "job.json")), Young);
        var deadDefaultChoice = FileAged(AtomicFile.TemporaryPathFor(Path.Combine(dataPath, "models", "default.json")), Stale);

        using var factory = new EmotionApiFactory { DataPath = dataPath, Settings = new Dictionary<string, string?> { ["Storage:TempMaxAgeMinutes"] = "60" } };
        using var client = factory.CreateClient();
        await EventuallyAsync(() => !Directory.Exists(staleUpload));

        Assert.All(new[] { staleUpload, staleRegistration }, folder => Assert.False(Directory.Exists(folder), folder));
        Assert.All(new[] { staleDownload, deadRecordWrite, deadDefaultChoice }, file => Assert.False(File.Exists(file), file));
        Assert.All(new[] { liveUpload, touchedUpload }, folder => Assert.True(Directory.Exists(folder), folder));
        Assert.True(File.Exists(liveRecordWrite));
    }

    [Fact]
    public async Task A_finished_jobs_checkpoint_goes_at_once_and_an_unfinished_jobs_stays_for_its_resumption()
    {
        using var factory = new EmotionApiFactory();
        using var client = factory.CreateClient();
        var store = factory.Services.GetRequiredService<TrainingJobStore>();
        var finished = Job(store, TrainingJobState.Failed);
        var unfinished = Job(store, TrainingJobState.Queued);
        var orphanFolder = Path.Combine(factory.DataPath, "jobs", RecordIds.NewJobId());
        Directory.CreateDirectory(orphanFolder);
        Directory.SetLastWriteTimeUtc(orphanFolder, DateTime.UtcNow - Stale);

        factory.Services.GetServices<IHostedService>().OfType<StaleFileSweeper>().Single().Sweep();

        Assert.False(Directory.Exists(store.CheckpointDirectory(finished)));
        Assert.True(File.Exists(Path.Combine(store.CheckpointDirectory(unfinished), "checkpoint.bin")));
        Assert.False(Directory.Exists(orphanFolder));
        Assert.NotNull(store.Find(finished));
    }

    [Fact]
    public async Task A_running_node_sweeps_again_every_quarter_of_the_age()
    {
        // 1.2 seconds of age: a sweep every 0.3 s.
        using var factory = new EmotionApiFactory { Settings = new Dictionary<string, string?> { ["Storage:TempMaxAgeMinutes"] = "0.02" } };
        using var client = factory.CreateClient();
        var sweeper = factory.Services.GetServices<IHostedService>().OfType<StaleFileSweeper>().Single();
        Assert.Equal(TimeSpan.FromSeconds(0.3), sweeper.Interval);

        // Left after start-up by work that died (its files last written now): gone once older than the age, by a later sweep.
        var leftover = Folder(Path.Combine(factory.DataPath, "tmp"), "model-0a1b2c3d4e5f-cdef", TimeSpan.Zero);
        await EventuallyAsync(() => !Directory.Exists(leftover));

        Assert.False(Directory.Exists(leftover));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("20000")]
    public void An_age_out_of_range_stops_the_start_naming_the_setting(string minutes)
    {
        using var factory = new EmotionApiFactory { Settings = new Dictionary<string, string?> { ["Storage:TempMaxAgeMinutes"] = minutes } };

        var error = factory.StartFailure<Exception>();

        Assert.Contains("Storage:TempMaxAgeMinutes (environment variable Storage__TempMaxAgeMinutes) must be", error.GetBaseException().Message);
    }

    /// <summary>A job record in <paramref name="state"/> with a checkpoint file, as a crash between the end of a run and its clean-up leaves it.</summary>
    private static string Job(TrainingJobStore store, TrainingJobState state)
    {
        var id = RecordIds.NewJobId();
        var job = TrainingJob.Queue(id, RecordIds.NewDatasetId(), Learning.Training.TrainingPresets.Get("tiny"), DateTimeOffset.UtcNow);
        store.Create(state == TrainingJobState.Failed ? job.Fail("crashed while cleaning up", DateTimeOffset.UtcNow) : job);
        Directory.CreateDirectory(store.CheckpointDirectory(id));
        File.WriteAllBytes(Path.Combine(store.CheckpointDirectory(id), "checkpoint.bin"), [1, 2, 3]);
        return id;
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    private static string Folder(string parent, string name, TimeSpan age)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        FileAged(Path.Combine(folder, "upload.zip"), age);
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow - age);
        return folder;
    }

    private static string FileAged(string path, TimeSpan age)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }
}
