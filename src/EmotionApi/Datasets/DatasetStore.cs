using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.IO;
using EmotionApi.Shared;
using Microsoft.Extensions.Options;

namespace EmotionApi.Datasets;

/// <summary>
/// Datasets on disk: <c>{data}/datasets/{id}/</c> with a manifest (<c>dataset.json</c>) and the accepted image
/// files. A dataset appears only when complete (built under tmp/, then moved into view with one rename) and
/// never changes afterwards, so several nodes can share the folder; beside them, <c>prepared/</c> holds the
/// training runs' prepared-image caches (<see cref="PreparedImagesFolder"/>), deleted with the dataset. Ids are <see cref="RecordIds.IsDatasetId"/>; any
/// other id is unknown and never reaches a path.
/// </summary>
public sealed class DatasetStore(
    DataFolder dataFolder,
    ImageLimits imageLimits,
    IOptions<DatasetsOptions> options,
    IOptions<DatasetAuditOptions> auditOptions,
    JsonSerializerOptions json,
    TimeProvider time,
    IEnumerable<IDatasetInUseCheck> inUseChecks,
    ILogger<DatasetStore> logger)
{
    /// <summary>Prefix of this store's work folders under tmp/.</summary>
    internal const string WorkFolderPrefix = "dataset-";

    private const string PreparedImagesFolderName = "prepared";

    // Datasets never change once visible: a summary or an audit, once made, stays right for as long as the folder
    // exists (a dataset of the previous version gains its hashes once, and its summary is made again then).
    private readonly ConcurrentDictionary<string, DatasetSummary> _summaries = new();
    private readonly ConcurrentDictionary<string, DatasetAudit> _audits = new();
    // Hashing a previous version's dataset: concurrent requests for it share one pass over its files.
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<string, ulong>>> _hashing = new();

    /// <summary>True when a complete dataset with this id exists.</summary>
    public bool Exists(string id) => ManifestPath(id) is { } path && File.Exists(path);

    /// <summary>
    /// The accepted images of a dataset, with absolute file paths and their perceptual hashes where known (a dataset of
    /// the previous version has none until it is audited: training hashes them itself); null when there is no such dataset.
    /// </summary>
    public IReadOnlyList<DatasetImage>? GetImages(string id)
    {
        if (ReadManifest(id) is not { } manifest) return null;
        var folder = DatasetFolder(id)!;
        var hashes = DatasetHashes.Read(manifest, folder, json);
        return manifest.Images
            .Select(image => new DatasetImage(image.Path, image.Class, Path.Combine(folder, image.Path),
                hashes is not null && hashes.TryGetValue(image.Path, out var hash) ? hash : null))
            .ToList();
    }

    /// <summary>
    /// Where training runs keep the dataset's prepared images (a <see cref="Learning.Training.PreparedImageCache"/>
    /// owns what is inside): in the dataset's folder, so a deletion takes it along; null for an id that is no dataset's.
    /// </summary>
    public string? PreparedImagesFolder(string id) =>
        DatasetFolder(id) is { } folder ? Path.Combine(folder, PreparedImagesFolderName) : null;

    /// <summary>A dataset's stored images in manifest order (which never changes), with absolute paths; null when there is no such dataset.</summary>
    public IReadOnlyList<(StoredImage Image, string FilePath)>? GetStoredImages(string id)
    {
        if (ReadManifest(id) is not { } manifest) return null;
        var folder = DatasetFolder(id)!;
        return manifest.Images.Select(image => (image, Path.Combine(folder, image.Path))).ToList();
    }

    /// <summary>The summary of a dataset; null when there is no such dataset.</summary>
    public DatasetSummary? Find(string id)
    {
        if (!Exists(id)) return null;
        if (_summaries.TryGetValue(id, out var cached) && (cached.DuplicateCount is not null || !HashesComputed(id))) return cached;
        return ReadManifest(id) is { } manifest ? _summaries[id] = DatasetSummary.Of(manifest, KnownAudit(id, manifest)) : null;
    }

    /// <summary>
    /// The near-duplicate audit of a dataset at the configured near distance; null when there is no such dataset. A
    /// dataset stored by the previous version (no hashes in its manifest) has its images hashed now, once: the hashes are
    /// kept beside its manifest.
    /// </summary>
    /// <exception cref="UnavailableException">A stored image of such a dataset no longer decodes.</exception>
    public DatasetAudit? Audit(string id)
    {
        if (ReadManifest(id) is not { } manifest) return null;
        if (KnownAudit(id, manifest) is { } known) return known;

        var folder = DatasetFolder(id)!;
        var hashing = _hashing.GetOrAdd(id, _ => new Lazy<IReadOnlyDictionary<string, ulong>>(
            () => DatasetHashes.Compute(manifest, folder, imageLimits, json), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            var hashes = hashing.Value;
            logger.LogInformation("Hashed the {Images} images of dataset {DatasetId}, stored before ingest hashed", hashes.Count, id);
        }
        catch (Exception e) when (DiskSpace.IsExhausted(e))
        {
            throw InsufficientStorageException.NoRoomFor("the dataset's hashes", e);
        }
        catch (Exception e) when (e is ImageRejectedException or IOException)
        {
            throw new UnavailableException("Dataset unreadable", $"Dataset '{id}' cannot be audited: a stored image no longer reads ({e.Message}).", e);
        }
        finally
        {
            _hashing.TryRemove(new KeyValuePair<string, Lazy<IReadOnlyDictionary<string, ulong>>>(id, hashing));
        }
        _summaries.TryRemove(id, out _);
        return KnownAudit(id, manifest);
    }

    /// <summary>The audit, when every image's hash is known without decoding anything; null otherwise.</summary>
    private DatasetAudit? KnownAudit(string id, DatasetManifest manifest)
    {
        if (_audits.TryGetValue(id, out var audit)) return audit;
        if (DatasetHashes.Read(manifest, DatasetFolder(id)!, json) is not { } hashes) return null;
        var images = manifest.Images.Select(image => new HashedImage(image.OriginalName, image.Class, hashes[image.Path])).ToList();
        return _audits.GetOrAdd(id, DuplicateFinder.Audit(images, auditOptions.Value.NearDistance));
    }

    private bool HashesComputed(string id) => File.Exists(Path.Combine(DatasetFolder(id)!, DatasetHashes.FileName));

    /// <summary>Every dataset, newest first.</summary>
    public IReadOnlyList<DatasetSummary> List() =>
        Directory.EnumerateDirectories(dataFolder.Datasets)
            .Select(Path.GetFileName)
            .Select(id => id is null ? null : Find(id))
            .OfType<DatasetSummary>()
            .OrderByDescending(summary => summary.CreatedAt)
            .ThenBy(summary => summary.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>Removes a dataset: moved out of view first (one rename), then deleted. False when there is no such dataset.</summary>
    /// <exception cref="ConflictException">Something still needs the dataset (<see cref="IDatasetInUseCheck"/>).</exception>
    public bool Delete(string id)
    {
        if (!Exists(id)) return false;
        foreach (var check in inUseChecks)
            if (check.InUseReason(id) is { } reason) throw new ConflictException("Dataset in use", reason);
        var graveyard = Path.Combine(dataFolder.Temporary, $"{WorkFolderPrefix}deleted-{id}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(DatasetFolder(id)!, graveyard);
        }
        catch (DirectoryNotFoundException)
        {
            return false; // deleted meanwhile, by another request or node
        }
        _summaries.TryRemove(id, out _);
        _audits.TryRemove(id, out _);
        DataFolder.DeleteQuietly(graveyard, logger);
        logger.LogInformation("Deleted dataset {DatasetId}", id);
        return true;
    }

    /// <summary>
    /// Makes a dataset of an uploaded zip (already on disk, inside <paramref name="workFolder"/>). Refuses
    /// hostile or unusable archives (<see cref="InputRefusedException"/>); the caller deletes the work folder either way.
    /// </summary>
    /// <exception cref="InsufficientStorageException">The data folder has no room for the dataset.</exception>
    public DatasetSummary ImportArchive(string archivePath, string name, string workFolder, CancellationToken cancellationToken) =>
        InsufficientStorageException.OnFullDisk("the dataset's images", () =>
        {
            using var archive = DatasetArchive.Open(archivePath, options.Value);
            var builder = new DatasetBuilder(workFolder, imageLimits);
            foreach (var outside in archive.OutsideClassFolders) builder.Skip(outside);
            AddInParallel(builder, archive.ReadClassFiles((file, label) => builder.Skip(file, label), cancellationToken), cancellationToken);
            return Publish(builder, name, DatasetSource.Upload);
        });

    /// <summary>Makes the synthetic sample dataset, stored and checked exactly like an upload's images.</summary>
    /// <exception cref="InsufficientStorageException">The data folder has no room for the dataset.</exception>
    public DatasetSummary CreateSample(SyntheticFacesOptions sample, string name, CancellationToken cancellationToken)
    {
        var workFolder = NewWorkFolder();
        try
        {
            return InsufficientStorageException.OnFullDisk("the sample dataset", () =>
            {
                var builder = new DatasetBuilder(workFolder, imageLimits);
                var images = SyntheticFaces.Generate(sample)
                    .Select((image, index) => new IncomingImage(index + 1, image.FileName, image.Label, image.Png));
                AddInParallel(builder, images, cancellationToken);
                return Publish(builder, name, DatasetSource.Sample);
            });
        }
        finally
        {
            DataFolder.DeleteQuietly(workFolder, logger);
        }
    }

    /// <summary>A fresh work folder under tmp/ for one upload (the data folder's sweeper removes it if its owner dies).</summary>
    /// <exception cref="InsufficientStorageException">Not even a folder fits.</exception>
    internal string NewWorkFolder() =>
        InsufficientStorageException.OnFullDisk("a new dataset", () => dataFolder.NewTemporaryFolder(WorkFolderPrefix.TrimEnd('-')));

    /// <summary>
    /// Deletes the temporary files that builds of the prepared-image caches left when their process died, untouched
    /// since <paramref name="cutoffUtc"/>. Returns how many went.
    /// </summary>
    public int DeleteAbandonedFiles(DateTime cutoffUtc) =>
        Directory.EnumerateDirectories(dataFolder.Datasets)
            .Sum(folder => AtomicFile.DeleteAbandoned(Path.Combine(folder, PreparedImagesFolderName), cutoffUtc));

    /// <summary>
    /// Reads come from one enumerator (zip reading is sequential); decoding, the costly part, runs on every core.
    /// NoBuffering hands out one image at a time, so memory stays at a few images.
    /// </summary>
    private static void AddInParallel(DatasetBuilder builder, IEnumerable<IncomingImage> images, CancellationToken cancellationToken)
    {
        try
        {
            Parallel.ForEach(
                Partitioner.Create(images, EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                builder.Add);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private DatasetSummary Publish(DatasetBuilder builder, string name, DatasetSource source)
    {
        var id = RecordIds.NewDatasetId();
        var manifest = builder.Complete(id, name, source, time.GetUtcNow(), DatasetFolder(id)!, json);
        var summary = _summaries.GetOrAdd(id, DatasetSummary.Of(manifest, KnownAudit(id, manifest)));
        logger.LogInformation("Created dataset {DatasetId} ({Source}): {Images} images, {Skipped} skipped, {Conflicts} label conflicts, {Duplicates} duplicate groups",
            id, source, summary.ImageCount, summary.SkippedCount, summary.LabelConflictCount, summary.DuplicateCount);
        return summary;
    }

    private DatasetManifest? ReadManifest(string id)
    {
        if (ManifestPath(id) is not { } path) return null;
        try
        {
            return AtomicFile.ReadJson<DatasetManifest>(path, json);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // deleted between the check and the read
        }
    }

    private string? DatasetFolder(string id) => RecordIds.IsDatasetId(id) ? Path.Combine(dataFolder.Datasets, id) : null;

    private string? ManifestPath(string id) =>
        DatasetFolder(id) is { } folder ? Path.Combine(folder, DatasetManifest.FileName) : null;
}
