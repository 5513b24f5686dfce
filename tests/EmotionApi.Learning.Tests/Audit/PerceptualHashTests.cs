using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace EmotionApi.Learning.Tests.Audit;

public class PerceptualHashTests
{
    [Theory]
    [InlineData(255, 255, 255, PerceptualHash.Blank)]
    [InlineData(200, 30, 90, PerceptualHash.Blank)]
    [InlineData(0, 0, 0, 0UL)] // even the DC coefficient is 0: no bit at all
    public void A_blank_picture_of_any_colour_hashes_to_the_DC_bit_alone(byte r, byte g, byte b, ulong expected)
    {
        var hash = PerceptualHash.Compute(Png(new Image<Rgb24>(64, 48, new Rgb24(r, g, b))), ImageLimits.Default);

        Assert.Equal(expected, hash);
    }

    // A ramp constant down each column has DCT coefficients only in row v = 0. Minus its mean it is
    // antisymmetric about the centre, so its even horizontal frequencies vanish, and its odd ones are
    // negative for a brightening ramp (cos((2x + 1) u pi / 64) falls left to right for odd u) and positive
    // for a darkening one. The other 56 coefficients are 0, so the median is 0 and a bit is set exactly
    // where a coefficient is positive: DC (bit 0), and for the darkening ramp u = 1, 3, 5, 7.
    [Theory]
    [InlineData(false, false, 0x1UL)]
    [InlineData(false, true, 0xABUL)]
    [InlineData(true, false, 0x1UL)]
    [InlineData(true, true, 0x0100_0100_0100_0101UL)] // bits 0, 8, 24, 40, 56: v = 0, 1, 3, 5, 7 in column u = 0
    public void A_ramp_sets_the_DC_bit_and_its_odd_frequencies_when_it_darkens(bool vertical, bool darkening, ulong expected)
    {
        var image = new Image<Rgb24>(32, 32);
        for (var y = 0; y < 32; y++)
        for (var x = 0; x < 32; x++)
        {
            var position = vertical ? y : x;
            var grey = (byte)(8 * (darkening ? 31 - position : position));
            image[x, y] = new Rgb24(grey, grey, grey);
        }

        Assert.Equal(expected, PerceptualHash.Compute(Png(image), ImageLimits.Default));
    }

    [Fact]
    public void Distance_counts_the_differing_bits()
    {
        Assert.Equal(0, PerceptualHash.Distance(0xF0F0UL, 0xF0F0UL));
        Assert.Equal(3, PerceptualHash.Distance(0b1011UL, 0b0001UL | 1UL << 63));
        Assert.Equal(64, PerceptualHash.Distance(0UL, ulong.MaxValue));
    }

    [Fact]
    public void Fingerprint_gives_the_header_and_the_hash_of_one_image()
    {
        var encoded = SyntheticFaces.Draw(new SyntheticFacesOptions { Width = 120, Height = 90 }, EmotionClass.Positive, 3).Png;

        var fingerprint = PerceptualHash.Fingerprint(encoded, ImageLimits.Default);

        Assert.Equal(new ImageHeader("PNG", 120, 90), fingerprint.Header);
        Assert.Equal(PerceptualHash.Compute(encoded, ImageLimits.Default), fingerprint.Hash);
        Assert.NotEqual(PerceptualHash.Blank, fingerprint.Hash);
    }

    [Fact]
    public void Fingerprint_refuses_what_the_codec_refuses_with_its_reason()
    {
        var truncated = SyntheticFaces.Draw(new SyntheticFacesOptions { Width = 64, Height = 64 }, EmotionClass.Negative, 1).Png[..200];

        Assert.Equal("not an image", Assert.Throws<ImageRejectedException>(() => PerceptualHash.Fingerprint("junk"u8, ImageLimits.Default)).Message);
        Assert.StartsWith("corrupt or truncated PNG", Assert.Throws<ImageRejectedException>(() => PerceptualHash.Fingerprint(truncated, ImageLimits.Default)).Message);
        Assert.Throws<ImageRejectedException>(() => PerceptualHash.Fingerprint(truncated, ImageLimits.Default with { MaxWidth = 10 }));
    }

    [Fact]
    public void FromPixels_only_reads_pixels_at_its_input_size()
    {
        Assert.Throws<ArgumentException>(() => PerceptualHash.FromPixels(new PreparedImage(new ImageSize(16, 16), new byte[16 * 16 * 3])));
    }

    // The copies the audit must catch (docs/dataset-audit.md measures how often, over many pictures).
    [Fact]
    public void Resized_recompressed_cropped_and_brightened_copies_of_a_face_stay_within_the_near_distance()
    {
        var original = SyntheticFaces.Draw(new SyntheticFacesOptions { Width = 320, Height = 240, Seed = 4 }, EmotionClass.Positive, 1).Png;
        var hash = PerceptualHash.Compute(original, ImageLimits.Default);
        using var image = Image.Load<Rgb24>(original);

        byte[] Copy(Action<IImageProcessingContext> change, bool jpeg = false)
        {
            using var copy = image.Clone(change);
            using var stream = new MemoryStream();
            if (jpeg) copy.Save(stream, new JpegEncoder { Quality = 60 });
            else copy.Save(stream, new PngEncoder());
            return stream.ToArray();
        }

        var copies = new[]
        {
            Copy(context => context.Resize(160, 120)),
            Copy(_ => { }, jpeg: true),
            Copy(context => context.Crop(new Rectangle(8, 6, 304, 228))),
            Copy(context => context.Brightness(1.15f)),
        };
        foreach (var copy in copies)
            Assert.InRange(PerceptualHash.Distance(hash, PerceptualHash.Compute(copy, ImageLimits.Default)), 0, DuplicateFinder.DefaultNearDistance);
    }

    private static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder());
        image.Dispose();
        return stream.ToArray();
    }
}
