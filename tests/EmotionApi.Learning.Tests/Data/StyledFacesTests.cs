using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;

namespace EmotionApi.Learning.Tests.Data;

public sealed class StyledFacesTests
{
    private static readonly StyledFacesOptions Small = new()
    {
        Styles = [FaceStyle.Flat, FaceStyle.Neon], CountPerStyle = 20, Seed = 3, Width = 48, Height = 40, LabelNoise = 0.1,
    };

    [Fact]
    public void The_same_options_give_the_same_files_and_labels()
    {
        var first = StyledFaces.Generate(Small).ToList();
        var second = StyledFaces.Generate(Small).ToList();

        Assert.Equal(first.Select(face => (face.FileName, face.Label, face.Drawn)), second.Select(face => (face.FileName, face.Label, face.Drawn)));
        Assert.All(first.Zip(second), pair => Assert.Equal(pair.First.Bytes, pair.Second.Bytes));
    }

    [Fact]
    public void Each_style_gets_its_count_half_of_each_class_and_distinct_pictures()
    {
        var faces = StyledFaces.Generate(Small).ToList();

        Assert.Equal(40, faces.Count);
        Assert.All(faces.GroupBy(face => face.Style), style =>
        {
            Assert.Equal(20, style.Count());
            Assert.Equal(10, style.Count(face => face.Drawn == EmotionClass.Positive));
        });
        Assert.Equal(faces.Count, faces.Select(face => Convert.ToHexString(face.Bytes)).Distinct().Count());
        Assert.Equal(faces.Count, faces.Select(face => face.FileName).Distinct().Count());
    }

    [Fact]
    public void The_label_noise_flips_exactly_its_share_of_each_style_in_both_classes()
    {
        var faces = StyledFaces.Generate(Small with { CountPerStyle = 60, LabelNoise = 0.07 }).ToList();

        // round(60 x 0.07) = 4 per style.
        Assert.Equal(4, StyledFaces.FlippedCount(Small with { CountPerStyle = 60, LabelNoise = 0.07 }));
        Assert.All(faces.GroupBy(face => face.Style), style => Assert.Equal(4, style.Count(face => face.LabelFlipped)));
        Assert.Contains(faces, face => face.LabelFlipped && face.Drawn == EmotionClass.Positive);
        Assert.Contains(faces, face => face.LabelFlipped && face.Drawn == EmotionClass.Negative);
        Assert.All(faces.Where(face => face.LabelFlipped), face => Assert.NotEqual(face.Drawn, face.Label));
        Assert.DoesNotContain(StyledFaces.Generate(Small with { LabelNoise = 0 }), face => face.LabelFlipped);
    }

    [Theory]
    [InlineData(FaceStyle.Flat)]
    [InlineData(FaceStyle.LineArt)]
    [InlineData(FaceStyle.Shaded)]
    [InlineData(FaceStyle.Emoji)]
    [InlineData(FaceStyle.Sketch)]
    [InlineData(FaceStyle.Neon)]
    public void Every_style_decodes_at_its_size_as_the_format_its_name_says(FaceStyle style)
    {
        var faces = StyledFaces.Generate(Small with { Styles = [style] }).ToList();

        Assert.All(faces, face =>
        {
            var header = ImageCodec.Validate(face.Bytes, ImageLimits.Default);
            Assert.Equal((48, 40), (header.Width, header.Height));
            Assert.Equal(face.FileName.EndsWith(".jpg", StringComparison.Ordinal) ? "JPEG" : "PNG", header.Format);
            Assert.StartsWith(style.ToString().ToLowerInvariant() + "-", face.FileName);
        });
        // JPEG artefacts on some pictures, exact pixels on others.
        Assert.Contains(faces, face => face.FileName.EndsWith(".jpg", StringComparison.Ordinal));
        Assert.Contains(faces, face => face.FileName.EndsWith(".png", StringComparison.Ordinal));
    }

    [Fact]
    public void Neon_faces_glow_on_a_dark_ground_and_line_art_sits_on_light_paper()
    {
        static double MeanLuma(FaceStyle style) => StyledFaces.Generate(Small with { Styles = [style], LabelNoise = 0 })
            .Select(face => ImageCodec.Prepare(face.Bytes, new ImageSize(40, 48), ImageLimits.Default).Pixels)
            .Average(pixels => pixels.Average(value => (double)value));

        Assert.InRange(MeanLuma(FaceStyle.Neon), 0, 80);
        Assert.InRange(MeanLuma(FaceStyle.LineArt), 170, 255);
    }

    [Theory]
    [InlineData(-1, 0.0, "CountPerStyle")]
    [InlineData(10, 0.6, "LabelNoise")]
    public void Options_that_cannot_generate_a_set_are_refused(int count, double noise, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => StyledFaces.Generate(Small with { CountPerStyle = count, LabelNoise = noise }));
        Assert.Contains(field, error.Message);
        Assert.Contains("style", Assert.Throws<ArgumentException>(() => StyledFaces.Generate(Small with { Styles = [] })).Message);
        Assert.Contains("once", Assert.Throws<ArgumentException>(() => StyledFaces.Generate(Small with { Styles = [FaceStyle.Flat, FaceStyle.Flat] })).Message);
    }
}
