using EmotionApi.Learning.Data;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

public sealed class TrainingCheckpointTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("checkpoint-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static TrainingCheckpoint.Contents Contents(string fingerprint) => new(
        new CheckpointState
        {
            Fingerprint = fingerprint,
            CompletedEpochs = 2,
            Stopped = false,
            History = [new EpochMetrics(1, 0.7, 0.5, 0.69, 0.55, 0.01, 1.5), new EpochMetrics(2, 0.6, 0.6, null, null, 0.005, 1.4)],
            BestEpoch = 0,
            BestValidationLoss = double.PositiveInfinity,
        },
        [1, 2, 3],
        [4, 5],
        null);

    [Fact]
    public void Written_checkpoint_reads_back_for_the_same_run_only()
    {
        var checkpoint = new TrainingCheckpoint(directory);
        checkpoint.Write(Contents("abc"));

        var read = checkpoint.TryRead("abc");

        Assert.NotNull(read);
        Assert.Equal(2, read.State.CompletedEpochs);
        Assert.Equal(Contents("abc").State.History, read.State.History);
        Assert.Equal(double.PositiveInfinity, read.State.BestValidationLoss);
        Assert.Equal([1, 2, 3], read.Weights);
        Assert.Equal([4, 5], read.Optimizer);
        Assert.Null(read.BestWeights);
        Assert.Null(checkpoint.TryRead("another run"));
        Assert.Equal([TrainingCheckpoint.FileName], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7 })]
    public void A_damaged_or_foreign_file_is_no_checkpoint(byte[] content)
    {
        File.WriteAllBytes(Path.Combine(directory, TrainingCheckpoint.FileName), content);

        Assert.Null(new TrainingCheckpoint(directory).TryRead("abc"));
    }

    [Fact]
    public void A_truncated_checkpoint_is_no_checkpoint()
    {
        var checkpoint = new TrainingCheckpoint(directory);
        checkpoint.Write(Contents("abc"));
        var bytes = File.ReadAllBytes(checkpoint.Path);
        File.WriteAllBytes(checkpoint.Path, bytes[..^2]);

        Assert.Null(checkpoint.TryRead("abc"));
    }

    [Fact]
    public void Fingerprint_changes_with_any_setting_or_image()
    {
        var settings = TrainingPresets.Get(TrainingPresets.Tiny);
        DatasetImage[] images = [new("a.png", EmotionClass.Negative, "/x/a.png"), new("b.png", EmotionClass.Positive, "/x/b.png")];
        var fingerprint = TrainingCheckpoint.Fingerprint(settings, images);

        Assert.Equal(fingerprint, TrainingCheckpoint.Fingerprint(settings with { }, images.Reverse().ToArray()));
        // The file path is where the bytes are today, not what the run is: a moved dataset still resumes.
        Assert.Equal(fingerprint, TrainingCheckpoint.Fingerprint(settings, [images[0] with { FilePath = "/y/a.png" }, images[1]]));
        Assert.NotEqual(fingerprint, TrainingCheckpoint.Fingerprint(settings with { Epochs = 9 }, images));
        Assert.NotEqual(fingerprint, TrainingCheckpoint.Fingerprint(settings with { Augmentation = settings.Augmentation with { Zoom = 0.1 } }, images));
        Assert.NotEqual(fingerprint, TrainingCheckpoint.Fingerprint(settings, [images[0] with { Label = EmotionClass.Positive }, images[1]]));
        Assert.NotEqual(fingerprint, TrainingCheckpoint.Fingerprint(settings, [images[0]]));
    }

    [Fact]
    public void A_run_of_the_previous_version_has_the_fingerprint_it_had_so_its_checkpoint_resumes()
    {
        // That version had no duplicate grouping either.
        var settings = TrainingPresets.Get(TrainingPresets.Tiny) with { Seed = 7, Epochs = 3, GroupDuplicates = false };
        DatasetImage[] images =
        [
            new("Negative/a.png", EmotionClass.Negative, "/x/a.png"),
            new("Positive/b.png", EmotionClass.Positive, "/x/b.png"),
            new("Positive/c.png", EmotionClass.Positive, "/y/c.png"),
        ];

        // Computed by TrainingCheckpoint.Fingerprint at main 903c566, before issue 9 added settings.
        Assert.Equal("8385f0ef7d353d01b4b1b3fbd7dcd28c8724c391ba4928711a606fbccc2ea212", TrainingCheckpoint.Fingerprint(settings, images));
        // A new setting away from its default is another run.
        Assert.NotEqual(TrainingCheckpoint.Fingerprint(settings, images), TrainingCheckpoint.Fingerprint(settings with { EmaDecay = 0.99 }, images));
        Assert.NotEqual(TrainingCheckpoint.Fingerprint(settings, images), TrainingCheckpoint.Fingerprint(settings with { KeepBestEpoch = false }, images));
    }
}
