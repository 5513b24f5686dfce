using System.Text;
using EmotionApi.Learning.Images;
using Microsoft.Win32.SafeHandles;

namespace EmotionApi.Learning.Training;

/// <summary>
/// One file of a <see cref="PreparedImageCache"/>, open for reading: a run's prepared images, read by index with
/// positioned reads (thread-safe, no shared file position). Index i is the i-th image the cache was asked for.
/// </summary>
/// <remarks>
/// Layout: a header of <see cref="HeaderBytes"/> (magic, format version, key, height, width, count), then each image's
/// HWC bytes, one after the other, in the order of their ids (ordinal), then each image's perceptual hash (8 bytes,
/// little-endian, same order), so a run on the file reads no image file at all.
/// </remarks>
public sealed class PreparedImageFile : IPreparedImageSource, IDisposable
{
    internal const int HeaderBytes = 4096;
    private const string Magic = "EmotionApi.PreparedImages";
    private const int FormatVersion = 2;
    private const int HashBytes = sizeof(ulong);

    private readonly SafeFileHandle handle;
    private readonly int[] slots;
    private readonly ulong[] hashes;
    private readonly int imageBytes;

    private PreparedImageFile(string path, SafeFileHandle handle, ImageSize size, int[] slots, ulong[] hashes, bool built)
    {
        Path = path;
        this.handle = handle;
        Size = size;
        this.slots = slots;
        this.hashes = hashes;
        imageBytes = size.Height * size.Width * 3;
        Built = built;
    }

    public string Path { get; }

    public ImageSize Size { get; }

    public int Count => slots.Length;

    /// <summary>True when the call that opened it prepared the images (no usable file existed); false when it decoded nothing.</summary>
    public bool Built { get; }

    /// <summary>Bytes of a file holding <paramref name="count"/> images of <paramref name="size"/>.</summary>
    internal static long Length(ImageSize size, int count) => HashOffset(size, count, count);

    /// <summary>Where the image in slot <paramref name="slot"/> starts.</summary>
    internal static long Offset(ImageSize size, int slot) => HeaderBytes + (long)size.Height * size.Width * 3 * slot;

    /// <summary>Where the perceptual hash of the image in slot <paramref name="slot"/> of <paramref name="count"/> is.</summary>
    internal static long HashOffset(ImageSize size, int count, int slot) => Offset(size, count) + (long)HashBytes * slot;

    internal static byte[] HashField(ulong hash)
    {
        var field = new byte[HashBytes];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(field, hash);
        return field;
    }

    /// <summary>The perceptual hash of image <paramref name="index"/>, stored when the file was built.</summary>
    public ulong Hash(int index) => hashes[slots[index]];

    public void Read(int index, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        if (destination.Length != imageBytes)
            throw new ArgumentException($"Expected a destination of {imageBytes} bytes, got {destination.Length}.", nameof(destination));
        var offset = Offset(Size, slots[index]);
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            // The length was checked at open: a short read means the file was cut behind our back.
            if (read == 0) throw new EndOfStreamException($"'{Path}' ends inside image {index}.");
            destination = destination[read..];
            offset += read;
        }
    }

    public void Dispose() => handle.Dispose();

    internal static byte[] Header(string key, ImageSize size, int count)
    {
        var header = new byte[HeaderBytes];
        using var writer = new BinaryWriter(new MemoryStream(header), Encoding.UTF8);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(key);
        writer.Write(size.Height);
        writer.Write(size.Width);
        writer.Write(count);
        return header;
    }

    /// <summary>
    /// The file at <paramref name="path"/> when it is whole and holds exactly what <paramref name="key"/> names; null when
    /// it is missing, of another key, or cut short (the caller then builds it anew).
    /// </summary>
    internal static PreparedImageFile? TryOpen(string path, string key, ImageSize size, int[] slots, bool built)
    {
        SafeFileHandle handle;
        try
        {
            // Reads share everything: a builder renames over the name, never writes into a file someone reads.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            if (RandomAccess.GetLength(handle) == Length(size, slots.Length) && HeaderMatches(handle, key, size, slots.Length))
                return new PreparedImageFile(path, handle, size, slots, ReadHashes(handle, size, slots.Length), built);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            // Unreadable is stale: fall through.
        }
        handle.Dispose();
        return null;
    }

    private static ulong[] ReadHashes(SafeFileHandle handle, ImageSize size, int count)
    {
        var bytes = new byte[(long)HashBytes * count];
        if (RandomAccess.Read(handle, bytes, HashOffset(size, count, 0)) != bytes.Length)
            throw new IOException("The file ends inside its hashes.");
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++) hashes[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * HashBytes));
        return hashes;
    }

    private static bool HeaderMatches(SafeFileHandle handle, string key, ImageSize size, int count)
    {
        var header = new byte[HeaderBytes];
        if (RandomAccess.Read(handle, header, 0) != HeaderBytes) return false;
        using var reader = new BinaryReader(new MemoryStream(header), Encoding.UTF8);
        return reader.ReadString() == Magic && reader.ReadInt32() == FormatVersion && reader.ReadString() == key &&
               reader.ReadInt32() == size.Height && reader.ReadInt32() == size.Width && reader.ReadInt32() == count;
    }
}
