using System.Security.Cryptography;
using System.Text;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;

namespace EmotionApi.Learning.Training;

/// <summary>
/// Prepared images kept on disk between epochs and between runs: a run then holds a few batches in memory whatever the
/// dataset's size, and a later run on the same images at the same size decodes nothing. The host gives each dataset its
/// own <see cref="Directory"/> (deleted with the dataset); the cache owns what is inside: one file per input size,
/// <c>{height}x{width}-{key}.prepared</c> (<see cref="PreparedImageFile"/>), where the key hashes everything that decides
/// the bytes: each image's id, length and modification time, the size, and <see cref="ImageCodec.PreparationIdentity"/>.
/// A change to any of them names another file, so stale bytes are never read.
/// </summary>
/// <remarks>
/// A file is built under a temporary name, flushed and renamed into place: a reader on any node sees a whole file or
/// none. Builders of one file take turns through an exclusive lock on a sibling <c>.lock</c> file (flock, which the
/// kernel releases when a builder dies): a second node waits, then reads what the first built. Where a file system has
/// no locks, both build and each renames its own whole file into place; the bytes are the same.
/// Images are read with positioned reads into the reader's buffers rather than mapped into memory: the pages of a
/// mapped file count in the process's resident memory once an epoch has touched them, while read pages stay in the
/// kernel's page cache, which gives them back under pressure.
/// </remarks>
public sealed class PreparedImageCache
{
    public const string FileExtension = ".prepared";
    private const string LockExtension = ".lock";
    private const int KeyFormatVersion = 1;

    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(250);

    public PreparedImageCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = System.IO.Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>
    /// A build's temporary file untouched for this long belongs to a builder that died (a live one writes image after
    /// image); the next build in the folder deletes it (the host's sweeper does too, by its own age).
    /// </summary>
    public TimeSpan AbandonedAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Free space a build must leave on the volume (the host's reserve for checkpoints and models); 0 for none.</summary>
    public long KeepFreeBytes { get; init; }

    /// <summary>What decides the bytes besides the images and the size (another value in tests stands for a new version).</summary>
    internal string Preparation { get; init; } = ImageCodec.PreparationIdentity;

    /// <summary>
    /// The prepared bytes of <paramref name="images"/> at <paramref name="size"/>, index i being
    /// <paramref name="images"/>[i]: the cached file when there is a valid one (nothing is decoded), otherwise built first
    /// (in parallel) or, while another process builds it, waited for. The caller disposes the file.
    /// </summary>
    /// <exception cref="TrainingDataException">An image is missing or does not prepare; two images share an id.</exception>
    /// <exception cref="DiskFullException">The volume has no room for the file; nothing of it is left behind.</exception>
    /// <exception cref="IOException">The cache cannot be written otherwise (a read-only folder).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while building or waiting.</exception>
    public PreparedImageFile Open(
        IReadOnlyList<DatasetImage> images, ImageSize size, ImageLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(limits);
        if (size.Height <= 0 || size.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "Both dimensions must be positive.");
        var slots = Slots(images);
        var key = Key(images, size, Preparation);
        var name = $"{size.Height}x{size.Width}-{key[..32]}";
        var path = System.IO.Path.Combine(Directory, name + FileExtension);
        System.IO.Directory.CreateDirectory(Directory);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (PreparedImageFile.TryOpen(path, key, size, slots, built: false) is { } cached) return cached;
            using (var buildLock = TryLock(name))
            {
                if (buildLock is not null)
                {
                    // Someone may have finished it while this caller waited for the lock.
                    if (PreparedImageFile.TryOpen(path, key, size, slots, built: false) is { } finished) return finished;
                    // Builds of this file take turns: a temporary file nobody wrote to for a while is a dead builder's.
                    AtomicFile.DeleteAbandoned(Directory, DateTime.UtcNow - AbandonedAfter);
                    Build(images, size, limits, key, slots, path, cancellationToken);
                    var built = PreparedImageFile.TryOpen(path, key, size, slots, built: true)
                                ?? throw new IOException($"The prepared images just written to '{path}' do not read back.");
                    RemoveSuperseded(size, path);
                    return built;
                }
            }
            cancellationToken.WaitHandle.WaitOne(LockPollInterval);
        }
    }

    /// <summary>
    /// Deletes the other files of this size: their keys no longer match these images (a new preparation, files of the
    /// dataset replaced), so no run reads them again, and each would keep a whole copy of the dataset's pixels on the
    /// disk until the dataset goes. A reader that still has one open keeps reading it (an unlinked file lives until closed).
    /// </summary>
    private void RemoveSuperseded(ImageSize size, string current)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, $"{size.Height}x{size.Width}-*{FileExtension}"))
        {
            if (string.Equals(file, current, StringComparison.Ordinal)) continue;
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the dataset's deletion: a cache that cannot tidy up still serves its run.
            }
        }
    }

    /// <summary>
    /// The key of a file: a SHA-256 of the preparation, the size and, in id order, each image's id, length and
    /// modification time (datasets never change their files; a file replaced or edited changes its time or length).
    /// </summary>
    private static string Key(IReadOnlyList<DatasetImage> images, ImageSize size, string preparation)
    {
        var text = new StringBuilder();
        text.Append("format ").Append(KeyFormatVersion).Append('\n');
        text.Append(preparation).Append('\n');
        text.Append("size ").Append(size).Append('\n');
        foreach (var image in images.OrderBy(image => image.Id, StringComparer.Ordinal))
        {
            var file = new FileInfo(image.FilePath);
            if (!file.Exists)
                throw new TrainingDataException($"Image '{image.Id}' cannot be prepared for training: the file is missing.");
            text.Append(image.Id).Append('\t').Append(file.Length).Append('\t').Append(file.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Where each image lives in the file: its rank by id.</summary>
    private static int[] Slots(IReadOnlyList<DatasetImage> images)
    {
        var byId = Enumerable.Range(0, images.Count).OrderBy(i => images[i].Id, StringComparer.Ordinal).ToArray();
        var slots = new int[images.Count];
        for (var rank = 0; rank < byId.Length; rank++)
        {
            if (rank > 0 && string.Equals(images[byId[rank]].Id, images[byId[rank - 1]].Id, StringComparison.Ordinal))
                throw new TrainingDataException($"Image id '{images[byId[rank]].Id}' appears twice; each image of a dataset needs its own id.");
            slots[byId[rank]] = rank;
        }
        return slots;
    }

    private void Build(
        IReadOnlyList<DatasetImage> images, ImageSize size, ImageLimits limits, string key, int[] slots, string path, CancellationToken cancellationToken)
    {
        var temporary = AtomicFile.TemporaryPathFor(path);
        var length = PreparedImageFile.Length(size, images.Count);
        // A disk too small fails here, before any decoding; preallocating the whole length keeps another writer from
        // taking the room part-way.
        DiskSpace.EnsureAvailable(Directory, length, $"The prepared images of {images.Count} images at {size}", KeepFreeBytes);
        try
        {
            using (var handle = OpenForBuild(temporary, length))
            {
                RandomAccess.Write(handle, PreparedImageFile.Header(key, size, images.Count), 0);
                ImagePreparation.PrepareEach(images, size, limits, (index, prepared, hash) =>
                {
                    RandomAccess.Write(handle, prepared.Pixels, PreparedImageFile.Offset(size, slots[index]));
                    RandomAccess.Write(handle, PreparedImageFile.HashField(hash), PreparedImageFile.HashOffset(size, images.Count, slots[index]));
                }, cancellationToken);
                RandomAccess.FlushToDisk(handle);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>The build lock of <paramref name="name"/>, or null while another process (or caller) holds it.</summary>
    private FileStream? TryLock(string name)
    {
        var path = System.IO.Path.Combine(Directory, name + LockExtension);
        // Created apart: an error here (a full disk, a read-only folder) is real and thrown, so an error of the exclusive
        // open below can only be the lock being held. (.NET takes a shared flock on this open; only a racing creator holds one.)
        if (!File.Exists(path))
        {
            try
            {
                new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another builder created it first.
            }
        }
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenForBuild(string temporary, long length)
    {
        try
        {
            return File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, length);
        }
        catch (IOException e) when (e is not DiskFullException && DiskSpace.Available(System.IO.Path.GetDirectoryName(temporary)!) < length)
        {
            // .NET reports a failed preallocation without the system's error code.
            DeleteQuietly(temporary);
            throw new DiskFullException($"No room to preallocate {length:N0} bytes for '{temporary}'.", e);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next build's sweep.
        }
    }
}
