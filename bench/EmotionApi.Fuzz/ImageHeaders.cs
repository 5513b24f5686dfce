using System.Buffers.Binary;

namespace EmotionApi.Fuzz;

/// <summary>Lying image headers: dimensions (huge, zero, negative), depths and counts changed where each format keeps them.</summary>
internal static class ImageHeaders
{
    private static readonly uint[] Sides = [0, 1, 10_001, 65_535, 100_000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF];

    public static (byte[] Bytes, string What) Lie(Random random, byte[] image)
    {
        var output = image.ToArray();
        var side = Sides[random.Next(Sides.Length)];
        var other = Sides[random.Next(Sides.Length)];
        string? what = Format(output) switch
        {
            "png" => Png(random, output, side, other),
            "jpeg" => Jpeg(output, side, other),
            "gif" => Gif(random, output, side, other),
            "bmp" => Bmp(random, output, side, other),
            "webp" => Webp(output, side, other),
            _ => null,
        };
        return what is null ? ByteMutations.OverwriteInteresting(random, image) : (output, what);
    }

    private static string? Format(byte[] bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "png",
        [0xFF, 0xD8, ..] => "jpeg",
        [(byte)'G', (byte)'I', (byte)'F', ..] => "gif",
        [(byte)'B', (byte)'M', ..] => "bmp",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "webp",
        _ => null,
    };

    private static string Png(Random random, byte[] png, uint width, uint height)
    {
        if (png.Length < 33) return "png too short to lie";
        string what;
        if (random.Next(3) > 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), width);
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), height);
            what = $"PNG IHDR says {width}x{height}";
        }
        else
        {
            // Bit depth, colour type, compression, filter, interlace: any byte.
            var field = 24 + random.Next(5);
            png[field] = (byte)random.Next(256);
            what = $"PNG IHDR byte {field} = {png[field]}";
        }
        var fixCrc = random.Next(4) > 0;
        if (fixCrc) PngChunks.FixHeaderChecksum(png);
        return what + (fixCrc ? " (checksum fixed)" : " (checksum stale)");
    }

    private static string? Jpeg(byte[] jpeg, uint width, uint height)
    {
        for (var i = 2; i + 9 < jpeg.Length; i++)
        {
            // SOF0 to SOF3 (baseline, extended, progressive, lossless): FF Cn length precision height width.
            if (jpeg[i] != 0xFF || jpeg[i + 1] is < 0xC0 or > 0xC3) continue;
            BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), (ushort)height);
            BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), (ushort)width);
            return $"JPEG SOF says {(ushort)width}x{(ushort)height}";
        }
        return null;
    }

    private static string Gif(Random random, byte[] gif, uint width, uint height)
    {
        if (gif.Length < 10) return "gif too short to lie";
        var at = 6;
        if (random.Next(2) == 0)
        {
            // The first image descriptor (after the global colour table) instead of the logical screen.
            var tableBytes = (gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 7) + 1) : 0;
            var descriptor = Array.IndexOf(gif, (byte)0x2C, 13 + tableBytes);
            if (descriptor > 0 && descriptor + 9 < gif.Length) at = descriptor + 5;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(at), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(at + 2), (ushort)height);
        return $"GIF {(at == 6 ? "screen" : "image")} says {(ushort)width}x{(ushort)height}";
    }

    private static string Bmp(Random random, byte[] bmp, uint width, uint height)
    {
        if (bmp.Length < 54) return "bmp too short to lie";
        switch (random.Next(4))
        {
            case 0:
                BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(18), width);
                BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(22), height);
                return $"BMP says {(int)width}x{(int)height}";
            case 1:
                BinaryPrimitives.WriteUInt16LittleEndian(bmp.AsSpan(28), (ushort)random.Next(65));
                return $"BMP bits per pixel {BinaryPrimitives.ReadUInt16LittleEndian(bmp.AsSpan(28))}";
            case 2:
                BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(30), (uint)random.Next(14));
                return $"BMP compression {BinaryPrimitives.ReadUInt32LittleEndian(bmp.AsSpan(30))}";
            default:
                BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), width);
                return $"BMP pixel data offset {width}";
        }
    }

    private static string? Webp(byte[] webp, uint width, uint height)
    {
        if (webp.Length < 30) return null;
        var chunk = System.Text.Encoding.ASCII.GetString(webp, 12, 4);
        var data = 20;
        switch (chunk)
        {
            case "VP8X":
                WriteUInt24(webp, data + 4, width - 1);
                WriteUInt24(webp, data + 7, height - 1);
                return $"WebP VP8X canvas {width}x{height}";
            case "VP8L":
                // Signature 0x2F, then 14 bits width - 1 and 14 bits height - 1, little-endian bit order.
                var packed = ((width - 1) & 0x3FFF) | (((height - 1) & 0x3FFF) << 14) | (BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(data + 1)) & 0xF000_0000);
                BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(data + 1), packed);
                return $"WebP VP8L {(width - 1 & 0x3FFF) + 1}x{(height - 1 & 0x3FFF) + 1}";
            case "VP8 ":
                BinaryPrimitives.WriteUInt16LittleEndian(webp.AsSpan(data + 6), (ushort)width);
                BinaryPrimitives.WriteUInt16LittleEndian(webp.AsSpan(data + 8), (ushort)height);
                return $"WebP VP8 frame {(ushort)width & 0x3FFF}x{(ushort)height & 0x3FFF} (scale bits {(ushort)width >> 14}, {(ushort)height >> 14})";
            default:
                return null;
        }
    }

    private static void WriteUInt24(byte[] bytes, int at, uint value)
    {
        bytes[at] = (byte)value;
        bytes[at + 1] = (byte)(value >> 8);
        bytes[at + 2] = (byte)(value >> 16);
    }
}
