using System.Buffers.Binary;
using System.Text;
using EmotionApi.Learning.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Learning.Tests.Images;

public class ImageCodecTests
{
    private static readonly ImageLimits Limits = ImageLimits.Default;

    public static TheoryData<string> SupportedFormats => new() { "JPEG", "PNG", "GIF", "BMP", "WebP" };

    [Theory]
    [MemberData(nameof(SupportedFormats))]
    public void Identify_reads_format_and_size_of_each_supported_format(string format)
    {
        var header = ImageCodec.Identify(Encode(Gradient(7, 5), format));

        Assert.Equal(new ImageHeader(format, 7, 5), header);
        Assert.True(header!.IsSupportedFormat);
    }

    [Theory]
    [MemberData(nameof(SupportedFormats))]
    public void Validate_accepts_each_supported_format(string format)
    {
        Assert.Equal(new ImageHeader(format, 7, 5), ImageCodec.Validate(Encode(Gradient(7, 5), format), Limits));
    }

    [Theory]
    [InlineData("TIFF")]
    [InlineData("TGA")]
    public void Validate_rejects_other_formats_ImageSharp_knows_naming_them(string format)
    {
        var encoded = Encode(Gradient(7, 5), format);

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(encoded, Limits));

        Assert.Equal($"unsupported format '{format}' (accepted: JPEG, PNG, GIF, BMP, WebP)", error.Message);
        Assert.False(ImageCodec.Identify(encoded)!.IsSupportedFormat);
        Assert.Throws<ImageRejectedException>(() => ImageCodec.Prepare(encoded, new ImageSize(4, 4), Limits));
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is not an image")]
    [InlineData("PK\u0003\u0004 a zip entry")]
    public void Junk_is_not_an_image(string text)
    {
        var junk = Encoding.UTF8.GetBytes(text);

        Assert.Null(ImageCodec.Identify(junk));
        Assert.Equal("not an image", Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(junk, Limits)).Message);
        Assert.Equal("not an image", Assert.Throws<ImageRejectedException>(() => ImageCodec.Prepare(junk, new ImageSize(4, 4), Limits)).Message);
    }

    [Theory]
    [MemberData(nameof(SupportedFormats))]
    public void A_truncated_file_is_rejected_although_ImageSharp_would_decode_it(string format)
    {
        // ImageSharp 2.1 decodes all five formats cut short into partly blank images.
        var encoded = Encode(Noise(64, 48), format);
        var truncated = encoded[..(int)(encoded.Length * 0.9)];

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(truncated, Limits));

        Assert.StartsWith($"corrupt or truncated {format}: ", error.Message);
    }

    [Fact]
    public void A_PNG_cut_inside_its_image_data_names_the_chunk()
    {
        var encoded = Encode(Noise(64, 48), "PNG");

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(encoded[..(encoded.Length / 2)], Limits));

        Assert.Equal("corrupt or truncated PNG: the data ends inside the IDAT chunk", error.Message);
    }

    [Fact]
    public void A_PNG_with_a_corrupt_chunk_checksum_is_rejected_without_an_ImageSharp_exception()
    {
        var encoded = Encode(Noise(16, 16), "PNG");
        encoded[8 + 8 + 13] ^= 0xFF; // first byte of IHDR's CRC

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(encoded, Limits));

        Assert.StartsWith("corrupt or truncated PNG: ", error.Message);
    }

    [Fact]
    public void A_PNG_header_claiming_100000x100000_is_rejected_before_decoding()
    {
        // 45 bytes with no pixel data: decoding it would fail differently, so this message proves
        // the rejection came from the header.
        var bomb = PngHeaderOnly(100_000, 100_000);
        Assert.Equal(new ImageHeader("PNG", 100_000, 100_000), ImageCodec.Identify(bomb));

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(bomb, Limits));

        Assert.Equal("100000x100000 exceeds the 10000x10000 limit", error.Message);
    }

    [Fact]
    public void An_image_within_both_side_limits_but_over_the_pixel_limit_is_rejected()
    {
        var limits = Limits with { MaxPixels = 5_000_000 };

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(PngHeaderOnly(4000, 9000), limits));

        Assert.Equal("4000x9000 is 36,000,000 pixels, over the limit of 5,000,000", error.Message);
    }

    [Fact]
    public void Decoding_past_the_memory_cap_is_rejected()
    {
        // 1000x1000 RGBA needs a 4 MB pixel buffer; the cap is 1 MB.
        var encoded = Encode(new Image<Rgba32>(1000, 1000, new Rgba32(10, 20, 30)), "PNG");

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Validate(encoded, Limits with { DecoderMemoryMegabytes = 1 }));

        Assert.Equal("decoding this PNG needs more than the 1 MB allowed per buffer", error.Message);
        Assert.Equal(new ImageHeader("PNG", 1000, 1000), ImageCodec.Validate(encoded, Limits));
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(48, 64)]
    [InlineData(400, 500)]
    public void Prepare_returns_exactly_the_requested_size_as_HWC_RGB_bytes(int height, int width)
    {
        var prepared = ImageCodec.Prepare(Encode(Gradient(50, 30), "PNG"), new ImageSize(height, width), Limits);

        Assert.Equal(new ImageSize(height, width), prepared.Size);
        Assert.Equal(height * width * 3, prepared.Pixels.Length);
    }

    [Theory]
    [MemberData(nameof(SupportedFormats))]
    public void Prepare_keeps_a_uniform_colour_in_RGB_order_whatever_the_format(string format)
    {
        var colour = new Rgba32(200, 100, 50);
        var prepared = ImageCodec.Prepare(Encode(new Image<Rgba32>(40, 30, colour), format), new ImageSize(6, 8), Limits);

        // JPEG and lossy WebP move a flat colour by a few levels; GIF's palette holds it exactly.
        var tolerance = format is "JPEG" or "WebP" ? 4 : 0;
        for (var i = 0; i < prepared.Pixels.Length; i += 3)
        {
            Assert.InRange(prepared.Pixels[i], 200 - tolerance, 200 + tolerance);
            Assert.InRange(prepared.Pixels[i + 1], 100 - tolerance, 100 + tolerance);
            Assert.InRange(prepared.Pixels[i + 2], 50 - tolerance, 50 + tolerance);
        }
    }

    [Fact]
    public void Prepare_lays_pixels_out_row_by_row()
    {
        using var image = new Image<Rgba32>(2, 2);
        image[0, 0] = new Rgba32(255, 0, 0);
        image[1, 0] = new Rgba32(0, 255, 0);
        image[0, 1] = new Rgba32(0, 0, 255);
        image[1, 1] = new Rgba32(10, 20, 30);

        var prepared = ImageCodec.Prepare(Encode(image, "PNG"), new ImageSize(2, 2), Limits);

        Assert.Equal(new byte[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30 }, prepared.Pixels);
    }

    [Fact]
    public void Prepare_composites_transparency_onto_white_not_the_colour_hidden_under_it()
    {
        using var image = new Image<Rgba32>(3, 1);
        image[0, 0] = new Rgba32(255, 0, 0, 0);   // invisible red: a plain RGB conversion would keep the red
        image[1, 0] = new Rgba32(0, 0, 0, 128);   // half-transparent black
        image[2, 0] = new Rgba32(0, 0, 255, 255); // opaque blue

        var prepared = ImageCodec.Prepare(Encode(image, "PNG"), new ImageSize(1, 3), Limits);

        // 255 * (255 - 128) / 255 = 127 for the half-transparent black.
        Assert.Equal(new byte[] { 255, 255, 255, 127, 127, 127, 0, 0, 255 }, prepared.Pixels);
    }

    [Fact]
    public void Prepare_does_not_bleed_hidden_colour_into_neighbours_when_resizing()
    {
        // Left half invisible red, right half opaque white: the whole resized image must be white.
        using var image = new Image<Rgba32>(40, 20, new Rgba32(255, 255, 255));
        for (var y = 0; y < 20; y++)
        for (var x = 0; x < 20; x++)
            image[x, y] = new Rgba32(255, 0, 0, 0);

        var prepared = ImageCodec.Prepare(Encode(image, "PNG"), new ImageSize(5, 7), Limits);

        Assert.All(prepared.Pixels, value => Assert.Equal(255, value));
    }

    [Fact]
    public void Prepare_uses_the_first_frame_of_an_animated_GIF()
    {
        using var animation = new Image<Rgba32>(8, 8, new Rgba32(255, 0, 0));
        using var second = new Image<Rgba32>(8, 8, new Rgba32(0, 0, 255));
        animation.Frames.AddFrame(second.Frames.RootFrame);

        var prepared = ImageCodec.Prepare(Encode(animation, "GIF"), new ImageSize(4, 4), Limits);

        for (var i = 0; i < prepared.Pixels.Length; i += 3)
            Assert.Equal((255, 0, 0), (prepared.Pixels[i], prepared.Pixels[i + 1], prepared.Pixels[i + 2]));
    }

    [Fact]
    public void Prepare_stretches_without_keeping_the_aspect_ratio()
    {
        // A 100x10 image whose left half is black: stretched to 10x10, the left half stays black and
        // the right half white (the bilinear filter only softens the two middle columns).
        using var image = new Image<Rgba32>(100, 10, new Rgba32(255, 255, 255));
        for (var y = 0; y < 10; y++)
        for (var x = 0; x < 50; x++)
            image[x, y] = new Rgba32(0, 0, 0);

        var prepared = ImageCodec.Prepare(Encode(image, "PNG"), new ImageSize(10, 10), Limits);

        var middleRow = Enumerable.Range(0, 10).Select(x => prepared.Pixels[(5 * 10 + x) * 3]).ToArray();
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, middleRow[..4]);
        Assert.InRange(middleRow[4], 1, 127);
        Assert.InRange(middleRow[5], 128, 254);
        Assert.Equal(new byte[] { 255, 255, 255, 255 }, middleRow[6..]);
    }

    [Fact]
    public void Prepare_gives_the_same_bytes_from_many_threads_at_once()
    {
        var inputs = Enumerable.Range(0, 24).Select(i => Encode(Noise(60 + i, 40, seed: i), i % 2 == 0 ? "PNG" : "JPEG")).ToArray();
        var sequential = inputs.Select(bytes => ImageCodec.Prepare(bytes, new ImageSize(16, 16), Limits).Pixels).ToArray();

        var parallel = new byte[inputs.Length][];
        Parallel.For(0, inputs.Length, i => parallel[i] = ImageCodec.Prepare(inputs[i], new ImageSize(16, 16), Limits).Pixels);

        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void A_png_text_chunk_inflating_to_megabytes_is_skipped_unread()
    {
        // 16 KB of zlib inflating to a 16 MB text (the fuzzing run's 64 MB one took the service seconds per image).
        var plain = Encode(Gradient(7, 5), "PNG");
        var bomb = WithChunkAfterHeader(plain, "zTXt", [.. "Comment"u8, 0, 0, .. Zlib(new byte[16 << 20])]);
        var expected = ImageCodec.Prepare(plain, new ImageSize(5, 7), Limits).Pixels;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var header = ImageCodec.Validate(bomb, Limits);
        var prepared = ImageCodec.Prepare(bomb, new ImageSize(5, 7), Limits);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(new ImageHeader("PNG", 7, 5), header);
        Assert.Equal(expected, prepared.Pixels);
        Assert.True(allocated < 4 << 20, $"{allocated:N0} bytes allocated: the text was inflated");
    }

    [Fact]
    public void A_bmp_whose_pixel_data_offset_lies_is_rejected_as_corrupt()
    {
        // An 8-bit BMP's palette is sized from the pixel-data offset: 2^31 - 1 asked ImageSharp for a 2 GB array.
        using var image = Gradient(7, 5);
        using var stream = new MemoryStream();
        image.Save(stream, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 });
        var bmp = stream.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), int.MaxValue);

        var error = Assert.Throws<ImageRejectedException>(() => ImageCodec.Prepare(bmp, new ImageSize(4, 4), Limits));

        Assert.Equal("corrupt BMP: its header asks for an impossible amount of memory", error.Message);
        Assert.Null(ImageCodec.Identify(bmp));
    }

    [Fact]
    public void Prepare_rejects_a_non_positive_size()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.Prepare(Encode(Gradient(4, 4), "PNG"), new ImageSize(0, 4), Limits));
    }

    private static Image<Rgba32> Gradient(int width, int height)
    {
        var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new Rgba32((byte)(x * 255 / width), (byte)(y * 255 / height), 128);
        return image;
    }

    private static Image<Rgba32> Noise(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        return image;
    }

    internal static byte[] Encode(Image image, string format)
    {
        IImageEncoder encoder = format switch
        {
            "JPEG" => new JpegEncoder { Quality = 95 },
            "PNG" => new PngEncoder(),
            "GIF" => new GifEncoder(),
            "BMP" => new BmpEncoder(),
            "WebP" => new WebpEncoder(),
            "TIFF" => new TiffEncoder(),
            "TGA" => new TgaEncoder(),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>A PNG signature, a valid IHDR (with its CRC) claiming the given size, and IEND: no pixel data.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 6; // colour type RGBA
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The PNG with one more chunk right after IHDR (signature 8 bytes, IHDR 25).</summary>
    private static byte[] WithChunkAfterHeader(byte[] png, string type, byte[] data)
    {
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, 33));
        WriteChunk(output, type, data);
        output.Write(png.AsSpan(33));
        return output.ToArray();
    }

    private static byte[] Zlib(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize)) zlib.Write(data);
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var buffer = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        png.Write(buffer);
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32(typeAndData));
        png.Write(buffer);
    }

    // The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), bit by bit.
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var value in bytes)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
