using System.IO.Compression;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Tests.Data;

public class SyntheticFacesTests
{
    private static readonly SyntheticFacesOptions Small = new() { Count = 12, Seed = 3, Width = 40, Height = 32 };

    [Fact]
    public void The_same_options_give_the_same_files_byte_for_byte()
    {
        var first = SyntheticFaces.Generate(Small).ToList();
        var second = SyntheticFaces.Generate(Small).ToList();

        Assert.Equal(first.Select(image => image.FileName), second.Select(image => image.FileName));
        Assert.All(first.Zip(second), pair => Assert.Equal(pair.First.Png, pair.Second.Png));
    }

    [Fact]
    public void Another_seed_gives_other_pictures()
    {
        var first = SyntheticFaces.Generate(Small).ToList();
        var second = SyntheticFaces.Generate(Small with { Seed = 4 }).ToList();

        Assert.All(first.Zip(second), pair => Assert.NotEqual(pair.First.Png, pair.Second.Png));
    }

    [Fact]
    public void Every_picture_in_a_dataset_differs_from_the_others()
    {
        var pictures = SyntheticFaces.Generate(Small).Select(image => Convert.ToHexString(image.Png)).ToList();

        Assert.Equal(pictures.Count, pictures.Distinct().Count());
    }

    [Theory]
    [InlineData(12, 0.53, 6)]   // 6.36
    [InlineData(11, 0.53, 6)]   // 5.83
    [InlineData(10, 0.55, 6)]   // 5.5: halves round up
    [InlineData(1630, 0.53, 864)]
    [InlineData(5, 0.0, 0)]
    [InlineData(5, 1.0, 5)]
    [InlineData(0, 0.5, 0)]
    public void Positives_are_the_rounded_share_of_the_count(int count, double share, int positives)
    {
        var options = new SyntheticFacesOptions { Count = count, PositiveShare = share, Width = 16, Height = 16 };

        Assert.Equal(positives, SyntheticFaces.PositiveCount(options));
        if (count <= 12)
        {
            var labels = SyntheticFaces.Generate(options).Select(image => image.Label).ToList();
            Assert.Equal(positives, labels.Count(label => label == EmotionClass.Positive));
            Assert.Equal(count - positives, labels.Count(label => label == EmotionClass.Negative));
        }
    }

    [Fact]
    public void Files_are_named_by_class_and_number_negatives_first()
    {
        var names = SyntheticFaces.Generate(Small with { Count = 5, PositiveShare = 0.6 }).Select(image => image.FileName);

        Assert.Equal(["negative-0001.png", "negative-0002.png", "positive-0001.png", "positive-0002.png", "positive-0003.png"], names);
    }

    [Fact]
    public void Numbers_widen_past_four_digits_for_large_counts()
    {
        Assert.Equal("positive-00007.png", SyntheticFaces.Draw(Small with { Count = 12_345 }, EmotionClass.Positive, 7).FileName);
    }

    [Fact]
    public void A_picture_depends_on_its_class_and_number_not_on_the_dataset_size()
    {
        var fromLargerDataset = SyntheticFaces.Generate(Small with { Count = 30 }).Single(image => image.FileName == "positive-0003.png");

        Assert.Equal(fromLargerDataset.Png, SyntheticFaces.Draw(Small, EmotionClass.Positive, 3).Png);
    }

    [Fact]
    public void Every_picture_is_a_valid_PNG_of_the_requested_size()
    {
        foreach (var image in SyntheticFaces.Generate(Small))
            Assert.Equal(new ImageHeader("PNG", 40, 32), ImageCodec.Validate(image.Png, ImageLimits.Default));
    }

    [Fact]
    public void The_class_is_carried_by_the_mouth_alone()
    {
        // The same random draws with the other class change only the pixels around the mouth.
        var smile = new RgbCanvas(64, 64);
        var frown = new RgbCanvas(64, 64);
        for (var seed = 0; seed < 20; seed++)
        {
            FaceScene.Sample(new Random(seed), smile, smiling: true).Render(smile);
            FaceScene.Sample(new Random(seed), frown, smiling: false).Render(frown);
            var smileBytes = smile.ToBytes();
            var frownBytes = frown.ToBytes();

            var differing = Enumerable.Range(0, 64 * 64).Count(pixel =>
                smileBytes[3 * pixel] != frownBytes[3 * pixel] || smileBytes[3 * pixel + 1] != frownBytes[3 * pixel + 1]
                || smileBytes[3 * pixel + 2] != frownBytes[3 * pixel + 2]);
            Assert.InRange(differing, 20, 64 * 64 / 8);
        }
    }

    [Fact]
    public void A_positive_depth_arc_is_a_smile_with_its_middle_below_its_corners()
    {
        // v grows downwards, as y does in a picture.
        var smile = new ArcGeometry(halfWidth: 10, depth: 4, thickness: 2);

        Assert.Equal(-1, smile.Distance(0, 2), precision: 4);       // the middle, on the stroke
        Assert.Equal(-1, smile.Distance(10, -2), precision: 4);     // a corner, on the stroke
        Assert.Equal(-1, smile.Distance(-10, -2), precision: 4);
        Assert.True(smile.Distance(0, -2) > 2);                     // where a frown's middle would be
    }

    [Fact]
    public void WriteZip_lays_files_out_like_the_articles_archive()
    {
        using var archive = new MemoryStream();
        SyntheticFaces.WriteZip(archive, Small with { Count = 4, PositiveShare = 0.5 });

        archive.Position = 0;
        using var zip = new ZipArchive(archive, ZipArchiveMode.Read);
        Assert.Equal(
            [
                "dataset 50:50/Negative/negative-0001.png", "dataset 50:50/Negative/negative-0002.png",
                "dataset 50:50/Positive/positive-0001.png", "dataset 50:50/Positive/positive-0002.png",
            ],
            zip.Entries.Select(entry => entry.FullName));
        using var entryStream = zip.GetEntry("dataset 50:50/Positive/positive-0002.png")!.Open();
        using var copy = new MemoryStream();
        entryStream.CopyTo(copy);
        Assert.Equal(SyntheticFaces.Draw(Small, EmotionClass.Positive, 2).Png, copy.ToArray());
    }

    [Fact]
    public void WriteZip_without_a_root_folder_puts_the_class_folders_at_the_root_and_is_repeatable()
    {
        var options = Small with { Count = 2, PositiveShare = 0.5 };
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        SyntheticFaces.WriteZip(first, options, rootFolder: "");
        SyntheticFaces.WriteZip(second, options, rootFolder: "");

        Assert.Equal(first.ToArray(), second.ToArray());
        first.Position = 0;
        using var zip = new ZipArchive(first, ZipArchiveMode.Read);
        Assert.Equal(["Negative/negative-0001.png", "Positive/positive-0001.png"], zip.Entries.Select(entry => entry.FullName));
    }

    [Theory]
    [InlineData(-1, 64, 64, 0.5, "Count must not be negative; got -1.")]
    [InlineData(10, 8, 64, 0.5, "Width must be between 16 and 4096; got 8.")]
    [InlineData(10, 64, 5000, 0.5, "Height must be between 16 and 4096; got 5000.")]
    [InlineData(10, 64, 64, 1.5, "PositiveShare must be between 0 and 1; got 1.5.")]
    [InlineData(10, 64, 64, double.NaN, "PositiveShare must be between 0 and 1; got NaN.")]
    public void Options_that_cannot_generate_a_dataset_are_refused_at_once(int count, int width, int height, double share, string message)
    {
        var options = new SyntheticFacesOptions { Count = count, Width = width, Height = height, PositiveShare = share };

        Assert.Equal(message, options.Problem());
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => SyntheticFaces.Generate(options)).Message);
    }
}
