using System.Buffers.Binary;

namespace EmotionApi.Fuzz;

/// <summary>Format-blind mutations of a byte array; each returns a new array and says what it did.</summary>
internal static class ByteMutations
{
    /// <summary>Boundary values that break size and count arithmetic.</summary>
    public static readonly uint[] Interesting =
        [0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF];

    public static (byte[] Bytes, string What) Any(Random random, byte[] input) => random.Next(8) switch
    {
        0 or 1 => BitFlips(random, input),
        2 => Truncate(random, input),
        3 => OverwriteInteresting(random, input),
        4 => InsertJunk(random, input),
        5 => DeleteChunk(random, input),
        6 => DuplicateChunk(random, input),
        _ => ZeroRange(random, input),
    };

    public static (byte[], string) BitFlips(Random random, byte[] input)
    {
        var output = input.ToArray();
        var flips = 1 << random.Next(6); // 1 to 32
        for (var i = 0; i < flips && output.Length > 0; i++) output[random.Next(output.Length)] ^= (byte)(1 << random.Next(8));
        return (output, $"{flips} bit flip(s)");
    }

    public static (byte[], string) Truncate(Random random, byte[] input)
    {
        // Mostly near the end (the structures a reader meets last) and near the start (headers).
        var length = random.Next(3) switch
        {
            0 => random.Next(Math.Min(input.Length, 64) + 1),
            1 => Math.Max(0, input.Length - 1 - random.Next(Math.Min(input.Length, 64))),
            _ => random.Next(input.Length + 1),
        };
        return (input[..length], $"truncated to {length} of {input.Length} bytes");
    }

    public static (byte[], string) OverwriteInteresting(Random random, byte[] input)
    {
        var output = input.ToArray();
        if (output.Length < 4) return BitFlips(random, input);
        var value = Interesting[random.Next(Interesting.Length)];
        var at = random.Next(output.Length - 3);
        var width = random.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
        var bigEndian = random.Next(2) == 0;
        var span = output.AsSpan(at, width);
        switch (width)
        {
            case 1: span[0] = (byte)value; break;
            case 2 when bigEndian: BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value); break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value); break;
            case 4 when bigEndian: BinaryPrimitives.WriteUInt32BigEndian(span, value); break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(span, value); break;
        }
        return (output, $"0x{value:X} as {width} byte(s) {(bigEndian ? "BE" : "LE")} at {at}");
    }

    public static (byte[], string) InsertJunk(Random random, byte[] input)
    {
        var junk = new byte[1 + random.Next(random.Next(2) == 0 ? 16 : 4096)];
        random.NextBytes(junk);
        var at = random.Next(input.Length + 1);
        return ([.. input[..at], .. junk, .. input[at..]], $"{junk.Length} random bytes inserted at {at}");
    }

    public static (byte[], string) DeleteChunk(Random random, byte[] input)
    {
        if (input.Length < 2) return Truncate(random, input);
        var at = random.Next(input.Length);
        var length = 1 + random.Next(Math.Min(input.Length - at, 512));
        return ([.. input[..at], .. input[(at + length)..]], $"{length} bytes deleted at {at}");
    }

    public static (byte[], string) DuplicateChunk(Random random, byte[] input)
    {
        if (input.Length < 2) return InsertJunk(random, input);
        var at = random.Next(input.Length);
        var length = 1 + random.Next(Math.Min(input.Length - at, 1024));
        var to = random.Next(input.Length + 1);
        return ([.. input[..to], .. input.AsSpan(at, length), .. input[to..]], $"{length} bytes from {at} copied to {to}");
    }

    public static (byte[], string) ZeroRange(Random random, byte[] input)
    {
        var output = input.ToArray();
        if (output.Length == 0) return InsertJunk(random, input);
        var at = random.Next(output.Length);
        var length = 1 + random.Next(Math.Min(output.Length - at, 256));
        Array.Clear(output, at, length);
        return (output, $"{length} bytes zeroed at {at}");
    }

    /// <summary>The head of one input and the tail of another: valid headers over foreign data.</summary>
    public static (byte[], string) Splice(Random random, byte[] first, byte[] second)
    {
        var cut = random.Next(first.Length + 1);
        var from = random.Next(second.Length + 1);
        return ([.. first[..cut], .. second[from..]], $"first {cut} bytes of one file, then another from byte {from}");
    }
}
