using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;
using EmotionApi.Models;
using EmotionApi.Shared;
using EmotionApi.Tests.Datasets;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Shared;
using EmotionApi.Tests.Training;
using EmotionApi.Training;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.Tests.Storage;

/// <summary>The service on a data folder that runs out of space for real: a 48 MB tmpfs, filled by each test.</summary>
public sealed class FullDiskFixture : IDisposable
{
    public FullDiskFixture()
    {
        FileSystem = SmallFileSystem.Mount(megabytes: 48);
        // No free-space reserve: these tests are about writes that find the disk full, not requests refused before writing.
        if (FileSystem.Problem is null)
            Factory = new EmotionApiFactory
            {
                DataPath = Path.Combine(FileSystem.Path, "data"),
                Settings = TrainingTestKit.HostSettings(("Storage:MinFreeMegabytes", "0")),
            };
    }

    internal SmallFileSystem FileSystem { get; }

    public EmotionApiFactory? Factory { get; }

    public void Dispose()
    {
        Factory?.Dispose();
        FileSystem.Dispose();
    }
}

/// <summary>
/// A full disk is the operator's problem, named as such: every write that runs out of space ends in a 507 problem (a
/// request) or a failed job saying so (a run), nothing partial stays, the space comes back, and the same request or
/// job succeeds once there is room, without a restart.
/// </summary>
public sealed class FullDiskTests(FullDiskFixture fixture) : IClassFixture<FullDiskFixture>
{
    // A page or two of directory entries and records may come and go with the failed attempt.
    private const long Slack = 64 * 1024;
    private const HttpStatusCode InsufficientStorage = (HttpStatusCode)507;

    private SmallFileSystem Disk => fixture.FileSystem;
    private string DataPath => fixture.Factory!.DataPath;

    [Fact]
    public async Task An_upload_larger_than_the_free_space_is_a_507_leaves_nothing_and_succeeds_once_there_is_room()
    {
        Disk.Require();
        using var client = fixture.Factory!.CreateClient();
        var zip = NoiseZip(images: 12, side: 300); // about 3.2 MB, incompressible
        var stored = DatasetsClient.StoredEntries(DataPath);
        using var filler = Disk.Fill(leave: 1 << 20);
        var free = Disk.Available;

        var refused = await client.UploadAsync(zip);

        await refused.AssertProblemAsync(InsufficientStorage, "Not enough disk space", "no room left for the uploaded archive", "Free some space");
        Assert.Equal(stored, DatasetsClient.StoredEntries(DataPath));
        Assert.InRange(Disk.Available, free - Slack, free + Slack);

        filler.Dispose();
        var accepted = await client.UploadAsync(zip);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task An_upload_whose_images_do_not_fit_beside_it_is_a_507_naming_them()
    {
        Disk.Require();
        using var client = fixture.Factory!.CreateClient();
        var zip = NoiseZip(images: 12, side: 300);
        var stored = DatasetsClient.StoredEntries(DataPath);
        // Room for the zip, not for the images taken out of it as well.
        using var filler = Disk.Fill(leave: zip.Length + zip.Length / 2);
        var free = Disk.Available;

        var refused = await client.UploadAsync(zip);

        await refused.AssertProblemAsync(InsufficientStorage, "Not enough disk space", "no room left for the dataset's images");
        Assert.Equal(stored, DatasetsClient.StoredEntries(DataPath));
        Assert.InRange(Disk.Available, free - Slack, free + Slack);
    }

    [Fact]
    public async Task A_sample_dataset_larger_than_the_free_space_is_a_507_and_leaves_nothing()
    {
        Disk.Require();
        using var client = fixture.Factory!.CreateClient();
        var stored = DatasetsClient.StoredEntries(DataPath);
        using var filler = Disk.Fill(leave: 512 * 1024);
        var free = Disk.Available;

        var refused = await client.PostAsJsonAsync("/api/datasets/sample", new { count = 300, width = 96, height = 96 });

        await refused.AssertProblemAsync(InsufficientStorage, "Not enough disk space", "no room left for the sample dataset");
        Assert.Equal(stored, DatasetsClient.StoredEntries(DataPath));
        Assert.InRange(Disk.Available, free - Slack, free + Slack);
        filler.Dispose();
    }

    [Fact]
    public async Task A_job_record_on_a_full_disk_is_a_507_and_no_job_appears()
    {
        Disk.Require();
        using var client = fixture.Factory!.CreateClient();
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(client, count: 24, side: 16);
        var jobs = Directory.GetDirectories(Path.Combine(DataPath, "jobs"));
        using var filler = Disk.Fill(leave: 0);

        var refused = await client.PostAsJsonAsync("/api/training-jobs", new { datasetId, preset = "tiny", epochs = 1 }, TrainingTestKit.Json);

        await refused.AssertProblemAsync(InsufficientStorage, "Not enough disk space", "no room left for a new training job");
        Assert.Equal(jobs, Directory.GetDirectories(Path.Combine(DataPath, "jobs")));
    }

    [Fact]
    public async Task A_run_whose_prepared_images_do_not_fit_fails_saying_so_gives_the_room_back_and_runs_once_there_is_room()
    {
        Disk.Require();
        using var client = fixture.Factory!.CreateClient();
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(client, count: 40, side: 32);
        // At 256x256 the prepared images take 40 x 192 KB = 7.5 MB.
        var request = new { datasetId, preset = "tiny", epochs = 1, imageHeight = 256, imageWidth = 256 };
        using var filler = Disk.Fill(leave: 2 << 20);
        var free = Disk.Available;

        await FailsForWantOfRoomAsync(client, request);

        var prepared = Path.Combine(DataPath, "datasets", datasetId, "prepared");
        Assert.Empty(Directory.GetFiles(prepared, "*.prepared").Concat(Directory.GetFiles(prepared, ".*.tmp")));
        Assert.InRange(Disk.Available, free - Slack, free + Slack);

        filler.Dispose();
        var succeeded = await TrainingTestKit.TrainToSuccessAsync(client, request);
        Assert.NotNull(succeeded.ModelId);
    }

    [Fact]
    public async Task A_checkpoint_that_does_not_fit_fails_the_run_saying_so_and_leaves_no_checkpoint()
    {
        Disk.Require();
        using var client = fixture.Factory!.CreateClient();
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(client, count: 40, side: 32);
        var request = new { datasetId, preset = "tiny", epochs = 2 };
        // A first run sizes the model and leaves the prepared images cached; its checkpoint holds the weights four
        // times (weights, best weights, Adam's two moments).
        var first = await TrainingTestKit.TrainToSuccessAsync(client, request);
        var weights = ModelBytes(first.ModelId!);
        using var filler = Disk.Fill(leave: 2 * weights);
        var free = Disk.Available;

        var failed = await FailsForWantOfRoomAsync(client, request);

        Assert.Empty(Directory.GetFiles(Path.Combine(DataPath, "jobs", failed.Id), ".*.tmp"));
        Assert.InRange(Disk.Available, free - Slack, free + Slack);
    }

    [Fact]
    public async Task A_model_that_does_not_fit_is_not_registered_and_leaves_nothing_in_tmp()
    {
        Disk.Require();
        using var client = fixture.Factory!.CreateClient();
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(client, count: 24, side: 16);
        var trained = await TrainingTestKit.TrainToSuccessAsync(client, new { datasetId, preset = "tiny", epochs = 1 });
        var registry = fixture.Factory.Services.GetRequiredService<ModelRegistry>();
        var registered = registry.Find(trained.ModelId!)!;
        using var model = TrainedModel.Load(registry.ModelDirectory(registered.Id));
        var outcome = new TrainingOutcome(model, registered.History, registered.BestEpoch ?? 1, registered.Evaluation, new SplitRecord([], [], []), 1, new ScoredImages([], []), null);
        var jobId = RecordIds.NewJobId();
        using var filler = Disk.Fill(leave: ModelBytes(registered.Id) / 2);
        var free = Disk.Available;

        var error = Assert.Throws<InsufficientStorageException>(() => registry.Register(jobId, datasetId, registered.Settings, outcome));

        Assert.Equal("Not enough disk space", error.Title);
        Assert.Null(registry.Find(jobId));
        Assert.False(Directory.Exists(registry.ModelDirectory(jobId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(DataPath, "tmp")));
        Assert.InRange(Disk.Available, free - Slack, free + Slack);

        filler.Dispose();
        Assert.Equal(jobId, registry.Register(jobId, datasetId, registered.Settings, outcome).Id);
        Assert.True(registry.Delete(jobId));
    }

    /// <summary>Queues a job that runs out of room: it fails saying so, and its checkpoint is gone.</summary>
    private async Task<TrainingJobView> FailsForWantOfRoomAsync(HttpClient client, object request)
    {
        var queued = await TrainingTestKit.QueueJobAsync(client, request);
        var failed = await TrainingTestKit.WaitUntilFinishedAsync(client, queued.Id, TimeSpan.FromMinutes(2));

        Assert.Equal(TrainingJobState.Failed, failed.State);
        Assert.StartsWith("The data folder's disk has no room left for this run's files", failed.Error);
        Assert.False(Directory.Exists(Path.Combine(DataPath, "jobs", queued.Id, "checkpoint")));
        return failed;
    }

    /// <summary>Bytes of a registered model's files (weights, manifest, registration).</summary>
    private long ModelBytes(string modelId) =>
        new DirectoryInfo(Path.Combine(DataPath, "models", modelId)).EnumerateFiles().Sum(file => file.Length);

    /// <summary>A dataset zip of random-pixel PNGs (stored: they do not compress), half of each class.</summary>
    private static byte[] NoiseZip(int images, int side)
    {
        var zip = new TestZip();
        for (var i = 0; i < images; i++)
            zip.Add($"{(i % 2 == 0 ? "Positive" : "Negative")}/noise{i}.png", NoisePng(side, seed: i), CompressionLevel.NoCompression);
        return zip.ToArray();
    }

    private static byte[] NoisePng(int side, int seed)
    {
        var random = new Random(seed);
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(side, side);
        for (var y = 0; y < side; y++)
        for (var x = 0; x < side; x++)
            image[x, y] = new SixLabors.ImageSharp.PixelFormats.Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        using var output = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, output);
        return output.ToArray();
    }
}
