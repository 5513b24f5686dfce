using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Training;
using EmotionApi.Tests.Shared;

namespace EmotionApi.Learning.Tests.Training;

public sealed class PreparedImageCacheTests : IDisposable
{
    private static readonly ImageSize Size = new(20, 24);
    private readonly string root = Directory.CreateTempSubdirectory("prepared-image-cache-").FullName;
    private readonly string cacheFolder;
    private readonly IReadOnlyList<DatasetImage> images;

    public PreparedImageCacheTests()
    {
        cacheFolder = Path.Combine(root, "cache");
        var imageFolder = Directory.CreateDirectory(Path.Combine(root, "images")).FullName;
        images = SyntheticFaces.Generate(new SyntheticFacesOptions { Count = 12, Seed = 3, Width = 40, Height = 32 })
            .Select(face =>
            {
                var path = Path.Combine(imageFolder, face.FileName.Replace('/', '_'));
                File.WriteAllBytes(path, face.Png);
                return new DatasetImage(face.FileName, face.Label, path);
            })
            // Not in id order: the file stores images by id, the caller's index must still find its own.
            .Reverse()
            .ToArray();
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void The_cache_gives_what_the_codec_prepares_in_the_callers_order()
    {
        using var file = Cache().Open(images, Size, ImageLimits.Default);

        Assert.True(file.Built);
        Assert.Equal((Size, images.Count), (file.Size, file.Count));
        for (var i = 0; i < images.Count; i++) Assert.Equal(Expected(images[i], Size), Read(file, i));
        Assert.Equal([Path.GetFileName(file.Path)], Files("*" + PreparedImageCache.FileExtension));
        Assert.Empty(Files("*.tmp"));
    }

    [Fact]
    public void A_second_open_decodes_nothing_and_reads_the_same_bytes()
    {
        var expected = images.Select(image => Expected(image, Size)).ToArray();
        using (Cache().Open(images, Size, ImageLimits.Default)) { }
        // Same length, same time, but no longer an image: any decoding would now fail or give other bytes.
        foreach (var image in images) Scramble(image.FilePath);

        using var file = Cache().Open(images, Size, ImageLimits.Default);

        Assert.False(file.Built);
        for (var i = 0; i < images.Count; i++) Assert.Equal(expected[i], Read(file, i));
    }

    [Fact]
    public void Another_size_is_another_file_and_both_stay_valid()
    {
        var other = new ImageSize(8, 10);
        using var first = Cache().Open(images, Size, ImageLimits.Default);
        using var second = Cache().Open(images, other, ImageLimits.Default);
        using var again = Cache().Open(images, Size, ImageLimits.Default);

        Assert.True(second.Built);
        Assert.False(again.Built);
        Assert.NotEqual(first.Path, second.Path);
        Assert.Equal(Expected(images[5], other), Read(second, 5));
    }

    [Fact]
    public void An_image_file_that_changes_builds_the_cache_anew()
    {
        using (Cache().Open(images, Size, ImageLimits.Default)) { }
        var replacement = SyntheticFaces.Generate(new SyntheticFacesOptions { Count = 1, Seed = 99, Width = 40, Height = 32 }).Single();
        File.WriteAllBytes(images[2].FilePath, replacement.Png);

        using var file = Cache().Open(images, Size, ImageLimits.Default);

        Assert.True(file.Built);
        Assert.Equal(Expected(images[2], Size), Read(file, 2));
    }

    [Fact]
    public void Another_preparation_version_builds_the_cache_anew_and_removes_the_old_file()
    {
        using var current = Cache().Open(images, Size, ImageLimits.Default);
        using var next = new PreparedImageCache(cacheFolder) { Preparation = "preparation 2 (a new resampler, say)" }
            .Open(images, Size, ImageLimits.Default);

        Assert.True(next.Built);
        Assert.NotEqual(current.Path, next.Path);
        // The superseded file goes (its reader keeps reading it); a file of another size stays.
        Assert.Equal([Path.GetFileName(next.Path)], Files("*" + PreparedImageCache.FileExtension));
        Assert.Equal(Expected(images[2], Size), Read(current, 2));
        using var otherSize = Cache().Open(images, new ImageSize(10, 12), ImageLimits.Default);
        Assert.Equal(2, Files("*" + PreparedImageCache.FileExtension).Length);
    }

    [Fact]
    public void A_file_cut_short_or_of_another_layout_is_rebuilt()
    {
        string path;
        using (var file = Cache().Open(images, Size, ImageLimits.Default)) path = file.Path;
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 100);
        using (var rebuilt = Cache().Open(images, Size, ImageLimits.Default))
        {
            Assert.True(rebuilt.Built);
            Assert.Equal(Expected(images[^1], Size), Read(rebuilt, images.Count - 1));
        }

        var garbage = new byte[new FileInfo(path).Length];
        new Random(1).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);
        using var again = Cache().Open(images, Size, ImageLimits.Default);
        Assert.True(again.Built);
        Assert.Equal(Expected(images[0], Size), Read(again, 0));
    }

    [Fact]
    public void An_image_that_does_not_prepare_fails_naming_it_and_leaves_nothing()
    {
        File.WriteAllBytes(images[4].FilePath, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        var error = Assert.Throws<TrainingDataException>(() => Cache().Open(images, Size, ImageLimits.Default));

        Assert.Contains(images[4].Id, error.Message);
        Assert.Empty(Files("*" + PreparedImageCache.FileExtension));
        Assert.Empty(Files("*.tmp"));
    }

    [Fact]
    public void A_missing_image_or_a_repeated_id_fails_the_run_with_the_reason()
    {
        File.Delete(images[1].FilePath);
        var missing = Assert.Throws<TrainingDataException>(() => Cache().Open(images, Size, ImageLimits.Default));
        // A job's error, read by API clients: the image's id, never the server's path.
        Assert.Equal($"Image '{images[1].Id}' cannot be prepared for training: the file is missing.", missing.Message);

        var repeated = Assert.Throws<TrainingDataException>(() => Cache().Open([images[0], images[0]], Size, ImageLimits.Default));
        Assert.Contains("appears twice", repeated.Message);
    }

    [Fact]
    public void A_build_that_would_eat_into_the_space_kept_free_fails_before_decoding_and_leaves_nothing()
    {
        var cache = new PreparedImageCache(cacheFolder) { KeepFreeBytes = long.MaxValue / 4 };

        var error = Assert.Throws<DiskFullException>(() => cache.Open(images, Size, ImageLimits.Default));

        Assert.StartsWith($"The prepared images of {images.Count} images at {Size} need ", error.Message);
        Assert.Contains(" kept free, and the volume of ", error.Message);
        Assert.Empty(Files("*" + PreparedImageCache.FileExtension));
        Assert.Empty(Files("*.tmp"));
    }

    [Fact]
    public void Two_builders_at_once_build_once_and_read_the_same_bytes()
    {
        // Two caches on one folder, as two nodes on a shared data folder: the build lock makes the second wait.
        using var start = new Barrier(2);
        var opened = new PreparedImageFile[2];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            start.SignalAndWait();
            opened[i] = Cache().Open(images, Size, ImageLimits.Default);
        });
        try
        {
            Assert.Equal(1, opened.Count(file => file.Built));
            Assert.Equal(opened[0].Path, opened[1].Path);
            for (var i = 0; i < images.Count; i++) Assert.Equal(Read(opened[0], i), Read(opened[1], i));
            Assert.Single(Files("*" + PreparedImageCache.FileExtension));
            Assert.Empty(Files("*.tmp"));
        }
        finally
        {
            foreach (var file in opened) file?.Dispose();
        }
    }

    [Fact]
    public void A_reader_keeps_its_bytes_when_another_build_replaces_the_file()
    {
        using var reader = Cache().Open(images, Size, ImageLimits.Default);
        var before = Read(reader, 3);
        File.Delete(reader.Path);

        using var rebuilt = Cache().Open(images, Size, ImageLimits.Default);

        Assert.True(rebuilt.Built);
        Assert.Equal(before, Read(reader, 3));
        Assert.Equal(before, Read(rebuilt, 3));
    }

    [Fact]
    public void The_next_build_removes_temporary_files_a_dead_builder_left_and_spares_young_ones()
    {
        string path;
        using (var file = Cache().Open(images, Size, ImageLimits.Default)) path = file.Path;
        File.Delete(path);
        var abandoned = Path.Combine(cacheFolder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var young = Path.Combine(cacheFolder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(abandoned, new byte[1000]);
        File.WriteAllBytes(young, new byte[1000]);
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddMinutes(-11));

        using (Cache().Open(images, Size, ImageLimits.Default)) { }

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public void A_cancelled_open_writes_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Cache().Open(images, Size, ImageLimits.Default, cancelled.Token));
        Assert.Empty(Files("*" + PreparedImageCache.FileExtension));
        Assert.Empty(Files("*.tmp"));
    }

    [Fact]
    public void A_cache_the_disk_cannot_hold_fails_as_a_full_disk_before_decoding_and_leaves_nothing()
    {
        using var small = SmallFileSystem.Mount(megabytes: 4);
        small.Require();
        var cache = new PreparedImageCache(Path.Combine(small.Path, "prepared"));
        var large = new ImageSize(300, 300); // 12 images of 270 KB: 3.2 MB
        var original = File.ReadAllBytes(images[0].FilePath);
        // A decode would fail on this image: the full disk must be found first.
        File.WriteAllBytes(images[0].FilePath, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        using var filler = small.Fill(leave: 1 << 20);
        var before = small.Available;

        var error = Assert.Throws<DiskFullException>(() => cache.Open(images, large, ImageLimits.Default));

        Assert.Contains("12 images at 300x300 need 3.1 MB", error.Message);
        Assert.Empty(Directory.GetFiles(cache.Directory, "*.prepared"));
        Assert.Empty(Directory.GetFiles(cache.Directory, ".*.tmp"));
        Assert.InRange(small.Available, before - 8192, before);

        // Room again: the same call builds the file, nothing to restart.
        filler.Dispose();
        File.WriteAllBytes(images[0].FilePath, original);
        using var file = cache.Open(images, large, ImageLimits.Default);
        Assert.True(file.Built);
        Assert.Equal(Expected(images[0], large), Read(file, 0));
    }

    private PreparedImageCache Cache() => new(cacheFolder);

    private string[] Files(string pattern) =>
        Directory.Exists(cacheFolder) ? Directory.GetFiles(cacheFolder, pattern).Select(path => Path.GetFileName(path)).ToArray() : [];

    private static byte[] Expected(DatasetImage image, ImageSize size) =>
        ImageCodec.Prepare(File.ReadAllBytes(image.FilePath), size, ImageLimits.Default).Pixels;

    private static byte[] Read(IPreparedImageSource source, int index)
    {
        var pixels = new byte[source.Size.Height * source.Size.Width * 3];
        source.Read(index, pixels);
        return pixels;
    }

    private static void Scramble(string path)
    {
        var written = File.GetLastWriteTimeUtc(path);
        var junk = new byte[new FileInfo(path).Length];
        new Random(path.Length).NextBytes(junk);
        File.WriteAllBytes(path, junk);
        File.SetLastWriteTimeUtc(path, written);
    }
}
