using System.Buffers.Binary;

namespace EmotionApi.Learning.Images;

/// <summary>
/// Checks that an encoded image is complete, by walking its container structure (no decoding).
/// ImageSharp 2.1 decodes truncated files without complaint (measured: a PNG cut at 90%, and JPEG,
/// GIF, BMP and WebP files cut even at 5%, decode to partly blank images), whereas the article's
/// PIL-based loader refuses them. A partly blank training image is silently wrong data, so the
/// service refuses it too.
/// </summary>
internal static class EncodedImageStructure
{
    /// <summary>Null when the file is structurally complete; otherwise what is wrong, for a client.</summary>
    public static string? FindDefect(ReadOnlySpan<byte> encoded, string format) => format switch
    {
        "PNG" => CheckPng(encoded),
        "JPEG" => CheckJpeg(encoded),
        "GIF" => CheckGif(encoded),
        "BMP" => CheckBmp(encoded),
        "WebP" => CheckWebp(encoded),
        _ => null,
    };

    // Signature, then chunks (length, type, data, CRC) up to IEND.
    private static string? CheckPng(ReadOnlySpan<byte> data)
    {
        long position = 8;
        var sawImageData = false;
        while (true)
        {
            if (position + 8 > data.Length) return "the data ends before the IEND chunk";
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)position..]);
            var type = System.Text.Encoding.ASCII.GetString(data.Slice((int)position + 4, 4));
            if (position + 12 + length > data.Length) return $"the data ends inside the {type} chunk";
            if (type == "IDAT") sawImageData = true;
            if (type == "IEND") return sawImageData ? null : "no IDAT chunk";
            position += 12 + length;
        }
    }

    // Marker segments up to the first start of scan, then an end-of-image marker after it.
    // Entropy-coded data escapes 0xFF as FF 00, so FF D9 there can only be the real end.
    private static string? CheckJpeg(ReadOnlySpan<byte> data)
    {
        var position = 2;
        while (true)
        {
            // Bytes other than 0xFF before a marker are skipped, as libjpeg does ("extraneous bytes").
            while (position < data.Length && data[position] != 0xFF) position++;
            while (position < data.Length && data[position] == 0xFF) position++; // fill bytes
            if (position >= data.Length) return "the data ends before the image data";
            var marker = data[position++];
            if (marker is 0x00 or 0x01 or 0xD8 || marker is >= 0xD0 and <= 0xD7) continue; // no length field
            if (marker == 0xD9) return "end of image before any image data";
            if (position + 2 > data.Length) return "the data ends inside a marker segment";
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2) return $"invalid length {length} of marker 0xFF{marker:X2}";
            if ((long)position + length > data.Length) return $"the data ends inside marker segment 0xFF{marker:X2}";
            position += length;
            if (marker == 0xDA)
                return data[position..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0 ? null : "the data ends before the end-of-image marker";
        }
    }

    // Header, global colour table, then blocks up to the end of the first image (the frame used).
    private static string? CheckGif(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13) return "the data ends inside the header";
        long position = 13 + ColourTableBytes(data[10]);
        while (true)
        {
            if (position >= data.Length) return "the data ends before the first frame";
            switch (data[(int)position++])
            {
                case 0x21: // extension: label, then data sub-blocks
                    position++;
                    if (SkipSubBlocks(data, ref position) is { } extensionDefect) return extensionDefect;
                    break;
                case 0x2C: // image descriptor (9 bytes), local colour table, LZW code size, data sub-blocks
                    if (position + 10 > data.Length) return "the data ends inside the first frame's descriptor";
                    position += 9 + ColourTableBytes(data[(int)position + 8]) + 1;
                    return SkipSubBlocks(data, ref position) is { } frameDefect ? $"{frameDefect} of the first frame" : null;
                case 0x3B:
                    return "no frame before the trailer";
                default:
                    return $"unexpected block 0x{data[(int)position - 1]:X2}";
            }
        }

        static long ColourTableBytes(byte flags) => (flags & 0x80) == 0 ? 0 : 3L << ((flags & 0x07) + 1);
    }

    private static string? SkipSubBlocks(ReadOnlySpan<byte> data, ref long position)
    {
        while (true)
        {
            if (position >= data.Length) return "the data ends inside the data blocks";
            var size = data[(int)position++];
            if (size == 0) return null;
            position += size;
        }
    }

    // Uncompressed pixel arrays have a computable size: offset + stride * rows must be present.
    private static string? CheckBmp(ReadOnlySpan<byte> data)
    {
        if (data.Length < 26) return "the data ends inside the header";
        var pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        var infoSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        long width, height;
        int bitsPerPixel;
        uint compression;
        if (infoSize == 12) // OS/2 1.x core header
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[20..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[24..]);
            compression = 0;
        }
        else
        {
            if (data.Length < 34) return "the data ends inside the header";
            width = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[18..]));
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..]));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        }
        long required = compression is 0 or 3 or 6 // BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS
            ? pixelOffset + (width * bitsPerPixel + 31) / 32 * 4 * height
            : pixelOffset + 1;
        return data.Length < required ? $"the pixel data needs {required} bytes, the file has {data.Length}" : null;
    }

    // RIFF header: "RIFF", size of what follows the first 8 bytes, "WEBP".
    private static string? CheckWebp(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12) return "the data ends inside the header";
        long required = 8L + BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        return data.Length < required ? $"the RIFF header announces {required} bytes, the file has {data.Length}" : null;
    }
}
