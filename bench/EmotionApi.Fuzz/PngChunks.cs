using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EmotionApi.Fuzz;

/// <summary>PNG chunk surgery: a chunk inserted after IHDR, a checksum made right again.</summary>
internal static class PngChunks
{
    private const int SignatureBytes = 8;
    private const int HeaderChunkEnd = SignatureBytes + 8 + 13 + 4; // IHDR: length, type, 13 bytes, CRC

    /// <summary>A zTXt chunk whose text inflates to <paramref name="inflatedBytes"/> zeros, placed after IHDR.</summary>
    public static byte[] WithCompressedText(byte[] png, int inflatedBytes)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            zlib.Write(new byte[inflatedBytes]);
        byte[] data = [.. Encoding.ASCII.GetBytes("Comment"), 0, 0, .. compressed.ToArray()];
        return [.. png[..HeaderChunkEnd], .. Chunk("zTXt", data), .. png[HeaderChunkEnd..]];
    }

    /// <summary>Writes IHDR's checksum for its current bytes (after a header field was changed).</summary>
    public static void FixHeaderChecksum(byte[] png)
    {
        if (png.Length < HeaderChunkEnd) return;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(HeaderChunkEnd - 4), Crc32.Of(png.AsSpan(SignatureBytes + 4, 4 + 13)));
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Of(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }
}
