using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EmotionApi.Fuzz;

/// <summary>
/// Zip surgery at the byte level: the end record, the central directory and the local headers located, then one field
/// made to lie; compression methods and flags changed in both headers; a bomb of overlapping entries written by hand.
/// </summary>
internal static class ZipStructure
{
    private const uint LocalSignature = 0x04034B50, CentralSignature = 0x02014B50, EndSignature = 0x06054B50;

    private static readonly ushort[] Methods = [1, 6, 9, 12, 14, 19, 93, 95, 96, 97, 98, 99, 0xFFFF];

    /// <summary>Where a field sits: its offset from the record's start and its width.</summary>
    private static readonly (string Name, int Offset, int Width)[] LocalFields =
        [("version", 4, 2), ("flags", 6, 2), ("method", 8, 2), ("crc", 14, 4), ("compressed size", 18, 4), ("size", 22, 4), ("name length", 26, 2), ("extra length", 28, 2)];

    private static readonly (string Name, int Offset, int Width)[] CentralFields =
        [("made by", 4, 2), ("version", 6, 2), ("flags", 8, 2), ("method", 10, 2), ("crc", 16, 4), ("compressed size", 20, 4), ("size", 24, 4),
         ("name length", 28, 2), ("extra length", 30, 2), ("comment length", 32, 2), ("disk", 34, 2), ("external attributes", 38, 4), ("local header offset", 42, 4)];

    private static readonly (string Name, int Offset, int Width)[] EndFields =
        [("disk", 4, 2), ("directory disk", 6, 2), ("entries on disk", 8, 2), ("entries", 10, 2), ("directory size", 12, 4), ("directory offset", 16, 4), ("comment length", 20, 2)];

    /// <summary>One field of the end record, a central header or a local header set to a boundary value or nudged.</summary>
    public static (byte[] Bytes, string What) Lie(Random random, byte[] zip)
    {
        var output = zip.ToArray();
        var end = FindEnd(output);
        if (end < 0) return ByteMutations.OverwriteInteresting(random, zip);
        var entries = Entries(output, end);
        var (record, fields, where) = random.Next(5) switch
        {
            0 => (end, EndFields, "end record"),
            1 or 2 when entries.Count > 0 => Pick(entries, random, central: true),
            _ when entries.Count > 0 => Pick(entries, random, central: false),
            _ => (end, EndFields, "end record"),
        };
        var (name, offset, width) = fields[random.Next(fields.Length)];
        if (record + offset + width > output.Length) return ByteMutations.OverwriteInteresting(random, zip);
        var field = output.AsSpan(record + offset, width);
        var current = width == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(field) : BinaryPrimitives.ReadUInt32LittleEndian(field);
        var value = random.Next(3) == 0
            ? (uint)(current + random.Next(-3, 4))
            : ByteMutations.Interesting[random.Next(ByteMutations.Interesting.Length)];
        if (width == 2) BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)value);
        else BinaryPrimitives.WriteUInt32LittleEndian(field, value);
        return (output, $"{where} {name}: {current} -> {(width == 2 ? (ushort)value : value)}");
    }

    /// <summary>Every entry's compression method or flags changed alike in both headers (unsupported methods, encryption, data descriptors).</summary>
    public static (byte[] Bytes, string What) Method(Random random, byte[] zip)
    {
        var output = zip.ToArray();
        var end = FindEnd(output);
        if (end < 0) return ByteMutations.BitFlips(random, zip);
        var entries = Entries(output, end);
        var flagsInstead = random.Next(3) == 0;
        var value = flagsInstead ? (ushort)(1 << random.Next(16)) : Methods[random.Next(Methods.Length)];
        foreach (var (central, local) in entries)
        {
            if (random.Next(entries.Count > 1 ? 2 : 1) != 0) continue; // some entries, not always all
            if (flagsInstead)
            {
                Or(output, central + 8, value);
                Or(output, local + 6, value);
            }
            else
            {
                Set(output, central + 10, value);
                Set(output, local + 8, value);
            }
        }
        return (output, flagsInstead ? $"flag bit 0x{value:X4} set on entries" : $"compression method {value} on entries");
    }

    /// <summary>
    /// One deflated local entry and a central directory of <paramref name="entries"/> records that all point at it
    /// (Fifield's non-recursive bomb): each record inflates the same data again.
    /// </summary>
    public static byte[] Overlapping(byte[] content, int entries)
    {
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true)) deflate.Write(content);
        var data = deflated.ToArray();
        var crc = Crc32.Of(content);
        var localName = Encoding.ASCII.GetBytes("Positive/0.png");
        using var zip = new MemoryStream();
        var writer = new BinaryWriter(zip);
        writer.Write(LocalSignature);
        writer.Write((ushort)20); writer.Write((ushort)0); writer.Write((ushort)8); writer.Write(0u);
        writer.Write(crc); writer.Write((uint)data.Length); writer.Write((uint)content.Length);
        writer.Write((ushort)localName.Length); writer.Write((ushort)0); writer.Write(localName); writer.Write(data);
        var directory = zip.Position;
        for (var i = 0; i < entries; i++)
        {
            var name = Encoding.ASCII.GetBytes($"{(i % 2 == 0 ? "Positive" : "Negative")}/{i}.png");
            writer.Write(CentralSignature);
            writer.Write((ushort)20); writer.Write((ushort)20); writer.Write((ushort)0); writer.Write((ushort)8); writer.Write(0u);
            writer.Write(crc); writer.Write((uint)data.Length); writer.Write((uint)content.Length);
            writer.Write((ushort)name.Length); writer.Write((ushort)0); writer.Write((ushort)0); writer.Write((ushort)0); writer.Write((ushort)0);
            writer.Write(0u); writer.Write(0u); writer.Write(name);
        }
        var directorySize = zip.Position - directory;
        writer.Write(EndSignature);
        writer.Write((ushort)0); writer.Write((ushort)0); writer.Write((ushort)entries); writer.Write((ushort)entries);
        writer.Write((uint)directorySize); writer.Write((uint)directory); writer.Write((ushort)0);
        writer.Flush();
        return zip.ToArray();
    }

    private static (int Record, (string Name, int Offset, int Width)[] Fields, string Where) Pick(List<(int Central, int Local)> entries, Random random, bool central)
    {
        var index = random.Next(entries.Count);
        return central
            ? (entries[index].Central, CentralFields, $"central header {index}")
            : (entries[index].Local, LocalFields, $"local header {index}");
    }

    private static int FindEnd(byte[] zip)
    {
        for (var i = zip.Length - 22; i >= Math.Max(0, zip.Length - 22 - 0xFFFF); i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == EndSignature) return i;
        return -1;
    }

    /// <summary>Each central record's offset and the local header it points at (bounded: the zip may already lie).</summary>
    private static List<(int Central, int Local)> Entries(byte[] zip, int end)
    {
        var entries = new List<(int, int)>();
        var at = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16)), (uint)end);
        while (at + 46 <= end && BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) == CentralSignature && entries.Count < 64)
        {
            long local = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 42));
            if (local + 30 <= zip.Length && BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan((int)local)) == LocalSignature)
                entries.Add((at, (int)local));
            at += 46 + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28)) + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 30)) +
                  BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 32));
        }
        return entries;
    }

    private static void Set(byte[] bytes, int at, ushort value)
    {
        if (at + 2 <= bytes.Length) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), value);
    }

    private static void Or(byte[] bytes, int at, ushort value)
    {
        if (at + 2 <= bytes.Length) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at)) | value));
    }
}
