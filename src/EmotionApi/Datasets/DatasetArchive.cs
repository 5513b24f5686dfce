using System.Buffers.Binary;
using System.IO.Compression;
using EmotionApi.Learning.Data;
using EmotionApi.Shared;

namespace EmotionApi.Datasets;

/// <summary>
/// An uploaded zip opened under the limits of <see cref="DatasetsOptions"/>. The archive is refused as a
/// whole (an <see cref="InputRefusedException"/> naming the reason) when it is not a usable zip or looks hostile: too many entries,
/// unsafe entry names, symbolic links, or more inflated bytes than the limits allow. Otherwise it yields the
/// files of its Positive and Negative folders, read through counters that stop at the limits: the sizes in
/// the zip's headers are never trusted.
/// </summary>
internal sealed class DatasetArchive : IDisposable
{
    /// <summary>
    /// Compression ratios are judged only past this many inflated bytes: below it a high ratio harms nothing,
    /// and small text files legitimately shrink a hundredfold.
    /// </summary>
    internal const long RatioGraceBytes = 1024 * 1024;

    private const uint UnixFileTypeMask = 0xF000, UnixSymbolicLink = 0xA000;

    private readonly ZipArchive _zip;
    private readonly DatasetsOptions _limits;
    private readonly long _archiveBytes;
    private readonly List<(ZipArchiveEntry Entry, EmotionClass Label)> _classFiles;
    private long _inflatedBytes;

    private DatasetArchive(ZipArchive zip, long archiveBytes, DatasetsOptions limits,
        List<(ZipArchiveEntry, EmotionClass)> classFiles, List<SkippedFile> outsideClassFolders)
    {
        _zip = zip;
        _archiveBytes = archiveBytes;
        _limits = limits;
        _classFiles = classFiles;
        OutsideClassFolders = outsideClassFolders;
    }

    /// <summary>Files that are not inside the chosen Positive or Negative folder (not read).</summary>
    public IReadOnlyList<SkippedFile> OutsideClassFolders { get; }

    /// <summary>Number of files inside the class folders.</summary>
    public int ClassFileCount => _classFiles.Count;

    public static DatasetArchive Open(string path, DatasetsOptions limits)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var declaredEntries = ReadDeclaredEntryCount(stream);
            if (declaredEntries == 0)
                throw Refused("Empty archive", "The zip archive contains no files.");
            // .NET reads the whole central directory into memory and stops only once it holds more entries than
            // the end record declares: checking the declared count first bounds that memory.
            if (declaredEntries > limits.MaxEntries)
                throw TooManyEntries(declaredEntries, limits);

            stream.Position = 0;
            ZipArchive zip;
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
                _ = zip.Entries.Count;
            }
            catch (InvalidDataException e)
            {
                throw Refused("Damaged zip archive", $"The zip archive could not be read: {e.Message}");
            }

            try
            {
                return FromEntries(zip, stream.Length, limits);
            }
            catch
            {
                zip.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the class folders' files one by one, in archive order. A file over the image size limit or
    /// damaged inside the archive is reported to <paramref name="skip"/>; an archive that inflates past the
    /// limits is refused as soon as the counters cross them.
    /// </summary>
    public IEnumerable<IncomingImage> ReadClassFiles(Action<SkippedFile, EmotionClass> skip, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        var sequence = 0;
        foreach (var (entry, label) in _classFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sequence++;
            byte[]? content;
            string? problem;
            try
            {
                (content, problem) = ReadEntry(entry, buffer);
            }
            catch (InvalidDataException e)
            {
                (content, problem) = (null, $"damaged inside the archive: {e.Message}");
            }
            catch (NotSupportedException e)
            {
                (content, problem) = (null, $"stored in a way this service cannot read: {e.Message}");
            }

            if (content is null) skip(new SkippedFile(entry.FullName, problem!), label);
            else yield return new IncomingImage(sequence, entry.FullName, label, content);
        }
    }

    public void Dispose() => _zip.Dispose();

    private (byte[]? Content, string? Problem) ReadEntry(ZipArchiveEntry entry, byte[] buffer)
    {
        var maxImageBytes = _limits.MaxImageBytes;
        // The header's length only sizes the first buffer (capped), it limits nothing.
        using var content = new MemoryStream((int)Math.Clamp(entry.Length, 0, Math.Min(maxImageBytes, 8 * DatasetsOptions.Megabyte)));
        using var input = entry.Open();
        long entryBytes = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            entryBytes += read;
            _inflatedBytes += read;
            if (_inflatedBytes > _limits.MaxUncompressedBytes)
                throw Refused("Archive too large uncompressed",
                    $"The archive inflates to more than {_limits.MaxUncompressedMegabytes} MB (limit Datasets:MaxUncompressedMegabytes); " +
                    $"reading stopped in '{entry.FullName}'.");
            // The compressed length bounds what the decompressor may read of the file; the whole-archive ratio
            // against the real file size catches an entry whose header overstates it.
            if (entryBytes > RatioGraceBytes && entryBytes > _limits.MaxCompressionRatio * Math.Max(entry.CompressedLength, 1))
                throw CompressionBomb($"'{entry.FullName}' inflates more than {_limits.MaxCompressionRatio:0.##} times its compressed size");
            if (_inflatedBytes > RatioGraceBytes && _inflatedBytes > _limits.MaxCompressionRatio * _archiveBytes)
                throw CompressionBomb($"the archive inflates more than {_limits.MaxCompressionRatio:0.##} times its size");
            if (entryBytes > maxImageBytes)
                return (null, $"larger than the {_limits.MaxImageMegabytes} MB per-image limit (Datasets:MaxImageMegabytes)");
            content.Write(buffer, 0, read);
        }
        return (content.ToArray(), null);
    }

    private static DatasetArchive FromEntries(ZipArchive zip, long archiveBytes, DatasetsOptions limits)
    {
        var entries = zip.Entries;
        if (entries.Count > limits.MaxEntries) throw TooManyEntries(entries.Count, limits);

        var files = new List<(ZipArchiveEntry Entry, string[] Segments)>();
        foreach (var entry in entries)
        {
            if (UnsafeNameReason(entry.FullName) is { } reason)
                throw Refused("Unsafe archive entry", $"The entry '{Printable(entry.FullName)}' {reason}; the archive was refused.");
            if ((((uint)entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
                throw Refused("Unsafe archive entry", $"The entry '{Printable(entry.FullName)}' is a symbolic link; the archive was refused.");

            if (entry.FullName.EndsWith('/')) continue; // a folder
            var segments = entry.FullName.Split('/');
            // macOS adds __MACOSX/ and ._* resource forks, Finder adds .DS_Store: metadata, not files the user chose.
            if (segments[0] == "__MACOSX" || segments.Any(segment => segment.StartsWith('.'))) continue;
            files.Add((entry, segments));
        }
        if (files.Count == 0)
            throw Refused("Empty archive", "The zip archive contains no files (only folders or system metadata).");

        var root = ChooseClassRoot(files.Select(file => file.Segments));
        var classFiles = new List<(ZipArchiveEntry, EmotionClass)>();
        var outside = new List<SkippedFile>();
        foreach (var (entry, segments) in files)
        {
            var label = ClassUnder(root, segments);
            if (label is null) outside.Add(new SkippedFile(entry.FullName, "not inside a Positive or Negative folder"));
            else classFiles.Add((entry, label.Value));
        }
        return new DatasetArchive(zip, archiveBytes, limits, classFiles, outside);
    }

    /// <summary>
    /// Where the class folders are: "" for the archive's root, else the one top folder holding them (the
    /// article's archive: <c>dataset 50:50/Negative/...</c>).
    /// </summary>
    private static string ChooseClassRoot(IEnumerable<string[]> files)
    {
        var roots = new SortedSet<string>(StringComparer.Ordinal);
        var topNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var segments in files)
        {
            topNames.Add(segments.Length > 1 ? segments[0] + "/" : segments[0]);
            if (segments.Length >= 2 && ClassOf(segments[0]) is not null) roots.Add("");
            else if (segments.Length >= 3 && ClassOf(segments[1]) is not null) roots.Add(segments[0]);
        }

        if (roots.Contains("")) return "";
        return roots.Count switch
        {
            1 => roots.Single(),
            0 => throw Refused("No class folders",
                "The archive has no Positive or Negative folder. Put the images in folders named Positive and Negative " +
                $"(any case), at the archive's root or under one top folder. Found at the top: {Quoted(topNames)}."),
            _ => throw Refused("Ambiguous class folders",
                $"Several top folders hold Positive or Negative folders ({Quoted(roots)}): put them at the archive's root or under exactly one top folder."),
        };
    }

    private static EmotionClass? ClassUnder(string root, string[] segments)
    {
        if (root.Length == 0) return segments.Length >= 2 ? ClassOf(segments[0]) : null;
        return segments.Length >= 3 && segments[0] == root ? ClassOf(segments[1]) : null;
    }

    private static EmotionClass? ClassOf(string folder) =>
        folder.Equals(nameof(EmotionClass.Positive), StringComparison.OrdinalIgnoreCase) ? EmotionClass.Positive
        : folder.Equals(nameof(EmotionClass.Negative), StringComparison.OrdinalIgnoreCase) ? EmotionClass.Negative
        : null;

    /// <summary>Why an entry name could escape a folder it were extracted to (zip slip), or null when it is safe.</summary>
    internal static string? UnsafeNameReason(string name)
    {
        if (name.Length == 0) return "has an empty name";
        if (name.Any(char.IsControl)) return "contains control characters";
        if (name.Contains('\\')) return "contains a backslash (zip entry names use '/')";
        if (name.StartsWith('/')) return "is an absolute path";
        if (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0])) return "is a drive-rooted path";
        if (name.Split('/').Contains("..")) return "climbs out of the archive with '..'";
        return null;
    }

    /// <summary>
    /// The number of entries the archive's end record declares (zip64 aware), read before anything else;
    /// refuses files that are not zips or whose end record is missing (truncated).
    /// </summary>
    private static long ReadDeclaredEntryCount(FileStream stream)
    {
        const int endRecordSize = 22, maxCommentLength = ushort.MaxValue;
        var length = stream.Length;
        Span<byte> start = stackalloc byte[4];
        var startsLikeZip = length >= 4 && stream.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4
                            && start[0] == 'P' && start[1] == 'K';

        if (length >= endRecordSize)
        {
            var tail = new byte[(int)Math.Min(length, endRecordSize + maxCommentLength)];
            var tailStart = length - tail.Length;
            ReadAt(stream, tailStart, tail);
            for (var at = tail.Length - endRecordSize; at >= 0; at--)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != 0x06054b50) continue;
                long entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
                if (entries == ushort.MaxValue) entries = ReadZip64EntryCount(stream, tailStart + at) ?? entries;
                return entries;
            }
        }

        if (startsLikeZip)
            throw Refused("Damaged zip archive",
                "The file starts like a zip archive but its end (the central directory) is missing: the upload was probably truncated.");
        throw Refused("Not a zip archive", "The uploaded file is not a zip archive.");
    }

    private static long? ReadZip64EntryCount(FileStream stream, long endRecordPosition)
    {
        const int locatorSize = 20, zip64EndRecordSize = 56;
        if (endRecordPosition < locatorSize) return null;
        var locator = new byte[locatorSize];
        ReadAt(stream, endRecordPosition - locatorSize, locator);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != 0x07064b50) return null;
        var recordPosition = BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
        if (recordPosition > (ulong)(stream.Length - zip64EndRecordSize)) return null;
        var record = new byte[zip64EndRecordSize];
        ReadAt(stream, (long)recordPosition, record);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != 0x06064b50) return null;
        var entries = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
        return entries > long.MaxValue ? long.MaxValue : (long)entries;
    }

    private static void ReadAt(FileStream stream, long position, byte[] destination)
    {
        stream.Position = position;
        stream.ReadExactly(destination);
    }

    private static InputRefusedException TooManyEntries(long count, DatasetsOptions limits) =>
        Refused("Too many archive entries",
            $"The archive lists {count} entries; the limit is {limits.MaxEntries} (Datasets:MaxEntries).");

    private InputRefusedException CompressionBomb(string what) =>
        Refused("Compression ratio too high",
            $"The archive looks like a zip bomb: {what} (limit Datasets:MaxCompressionRatio).");

    private static InputRefusedException Refused(string title, string detail) => new(title, detail);

    private static string Quoted(IEnumerable<string> names)
    {
        var list = names.Take(6).Select(name => $"'{Printable(name)}'").ToList();
        return list.Count == 0 ? "nothing" : string.Join(", ", list.Take(5)) + (list.Count > 5 ? ", ..." : "");
    }

    /// <summary>A name as it may appear in a message: control characters replaced, length capped.</summary>
    private static string Printable(string name)
    {
        var printable = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length <= 200 ? printable : printable[..200] + "...";
    }
}
