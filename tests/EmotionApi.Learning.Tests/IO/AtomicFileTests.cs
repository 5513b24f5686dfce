using EmotionApi.Learning.IO;

namespace EmotionApi.Learning.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("atomic-file-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_write_leaves_the_whole_file_and_no_temporary_one()
    {
        var path = Path.Combine(folder, "job.json");
        AtomicFile.WriteAllBytes(path, "first"u8);
        AtomicFile.WriteAllBytes(path, "second"u8);

        Assert.Equal("second"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["job.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Abandoned_temporary_files_go_and_everything_else_stays()
    {
        var cutoff = DateTime.UtcNow.AddMinutes(-60);
        var abandoned = Old(AtomicFile.TemporaryPathFor(Path.Combine(folder, "job.json")));
        var abandonedCache = Old(AtomicFile.TemporaryPathFor(Path.Combine(folder, "20x24-0123.prepared")));
        var young = AtomicFile.TemporaryPathFor(Path.Combine(folder, "job.json"));
        File.WriteAllText(young, "a live writer's");
        var record = Old(Path.Combine(folder, "job.json"));
        var lookalike = Old(Path.Combine(folder, ".notes.tmp"));
        var upperCase = Old(Path.Combine(folder, $".job.json.{Guid.NewGuid():N}.tmp".ToUpperInvariant()));

        var deleted = AtomicFile.DeleteAbandoned(folder, cutoff);

        Assert.Equal(2, deleted);
        Assert.False(File.Exists(abandoned));
        Assert.False(File.Exists(abandonedCache));
        Assert.All(new[] { young, record, lookalike, upperCase }, path => Assert.True(File.Exists(path), path));
        Assert.Equal(0, AtomicFile.DeleteAbandoned(Path.Combine(folder, "missing"), cutoff));
    }

    [Fact]
    public void A_temporary_name_is_a_hidden_sibling_of_the_file()
    {
        var temporary = AtomicFile.TemporaryPathFor(Path.Combine(folder, "checkpoint.bin"));

        Assert.Equal(folder, Path.GetDirectoryName(temporary));
        Assert.Matches(@"^\.checkpoint\.bin\.[0-9a-f]{32}\.tmp$", Path.GetFileName(temporary));
    }

    private static string Old(string path)
    {
        File.WriteAllText(path, "left by a writer that died");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));
        return path;
    }
}
