using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace EmotionApi.Tests.Datasets;

internal static class TestImages
{
    /// <summary>A valid PNG of the given size with a pattern that depends on <paramref name="seed"/>.</summary>
    public static byte[] Png(int width, int height, int seed = 0)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new Rgb24((byte)(x * 7 + seed), (byte)(y * 13 + seed * 3), (byte)(x ^ y ^ seed));
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>
    /// A picture that no other seed resembles: a 4x4 grid of blocks in random colours, so its low frequencies (what a
    /// perceptual hash reads) are its own. <paramref name="scale"/> resizes it; <paramref name="jpeg"/> re-encodes it.
    /// </summary>
    public static byte[] Distinct(int seed, int side = 64, double scale = 1, bool jpeg = false)
    {
        var random = new Random(seed);
        var colours = Enumerable.Range(0, 16).Select(_ => new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        using var image = new Image<Rgb24>(side, side);
        for (var y = 0; y < side; y++)
        for (var x = 0; x < side; x++)
            image[x, y] = colours[y * 4 / side * 4 + x * 4 / side];
        if (scale != 1) image.Mutate(picture => picture.Resize((int)(side * scale), (int)(side * scale)));
        using var output = new MemoryStream();
        if (jpeg) image.SaveAsJpeg(output);
        else image.SaveAsPng(output);
        return output.ToArray();
    }

    public static byte[] Jpeg(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 120, 40));
        using var output = new MemoryStream();
        image.SaveAsJpeg(output);
        return output.ToArray();
    }

    /// <summary>
    /// A decompression bomb's header: a PNG whose IHDR (with a valid CRC) claims <paramref name="width"/> x
    /// <paramref name="height"/> pixels, followed by a tiny IDAT and IEND. A few dozen bytes.
    /// </summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        output.Write(crc);
    }

    /// <summary>CRC-32 as PNG chunks use it (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
