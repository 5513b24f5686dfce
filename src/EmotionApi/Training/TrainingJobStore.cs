using System.Text.Json;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Training;
using EmotionApi.Shared;

namespace EmotionApi.Training;

/// <summary>
/// Job records on disk: <c>jobs/{id}/job.json</c> (written atomically, so any reader, on any node, sees a
/// whole record), beside the job's checkpoint folder and its cancellation marker.
/// </summary>
public sealed class TrainingJobStore(DataFolder folder, ILogger<TrainingJobStore> logger)
{
    private const string RecordFileName = "job.json";
    private const string CancelMarkerFileName = "cancel-requested";
    private const string SplitFileName = "split.json";
    private const string RecordLockFileName = ".job.lock";
    private static readonly TimeSpan RecordLockTimeout = TimeSpan.FromSeconds(30);

    // Serialises read-modify-write of records in this process (the API and the training thread both update);
    // a lock file per job does the same across the nodes that share the data folder.
    private readonly Lock updateGate = new();

    public string JobDirectory(string id) => Path.Combine(folder.Jobs, id);

    /// <summary>Where the pipeline keeps its per-epoch checkpoint for this job (resumed after a restart).</summary>
    public string CheckpointDirectory(string id) => Path.Combine(JobDirectory(id), "checkpoint");

    public string SplitPath(string id) => Path.Combine(JobDirectory(id), SplitFileName);

    public TrainingJob? Find(string id)
    {
        if (!RecordIds.IsJobId(id)) return null;
        var path = Path.Combine(JobDirectory(id), RecordFileName);
        try
        {
            return AtomicFile.ReadJson<TrainingJob>(path, RecordJson.Options);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            logger.LogWarning(e, "Job record {Path} is unreadable", path);
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            logger.LogWarning(e, "Job record {Path} is not readable by this process", path);
            return null;
        }
    }

    /// <summary>Every job, newest first.</summary>
    public IReadOnlyList<TrainingJob> List()
    {
        if (!Directory.Exists(folder.Jobs)) return [];
        return Directory.EnumerateDirectories(folder.Jobs)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(RecordIds.IsJobId)
            .Select(Find)
            .OfType<TrainingJob>()
            .OrderByDescending(job => job.CreatedAt)
            .ThenByDescending(job => job.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Which image went to which part of a succeeded job's split; null before it succeeds (or for an unknown job).</summary>
    public SplitRecord? FindSplit(string id)
    {
        if (!RecordIds.IsJobId(id)) return null;
        try
        {
            return AtomicFile.ReadJson<SplitRecord>(SplitPath(id), RecordJson.Options);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <exception cref="InsufficientStorageException">The data folder has no room for the record; no folder is left for it.</exception>
    public void Create(TrainingJob job)
    {
        lock (updateGate)
        {
            var directory = JobDirectory(job.Id);
            try
            {
                Directory.CreateDirectory(directory);
                Write(job);
            }
            catch (IOException e) when (DiskSpace.IsExhausted(e))
            {
                DataFolder.DeleteQuietly(directory, logger);
                throw InsufficientStorageException.NoRoomFor("a new training job", e);
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current record and writes the result; null when the job
    /// no longer exists. <paramref name="change"/> may return its input unchanged to write nothing.
    /// </summary>
    /// <exception cref="InsufficientStorageException">The data folder has no room for the new record; the old one stays.</exception>
    public TrainingJob? Update(string id, Func<TrainingJob, TrainingJob> change)
    {
        lock (updateGate)
        {
            if (!Directory.Exists(JobDirectory(id))) return null;
            using var recordLock = AcquireRecordLock(id);
            var current = Find(id);
            if (current is null) return null;
            var next = change(current);
            if (ReferenceEquals(next, current)) return next;
            InsufficientStorageException.OnFullDisk("the training job's record", () => Write(next));
            return next;
        }
    }

    /// <summary>Removes a job's folder: moved out of view first (one rename), then deleted.</summary>
    public bool Delete(string id)
    {
        if (!RecordIds.IsJobId(id)) return false;
        lock (updateGate)
        {
            var directory = JobDirectory(id);
            if (!Directory.Exists(directory)) return false;
            var doomed = Path.Combine(folder.Temporary, $"deleted-job-{id}-{Guid.NewGuid():N}");
            Directory.Move(directory, doomed);
            DataFolder.DeleteQuietly(doomed, logger);
            return true;
        }
    }

    /// <summary>
    /// Leaves a marker that a running execution (in this process or on another node) checks between
    /// batches: cancellation does not depend on the job system reaching the worker.
    /// </summary>
    /// <exception cref="InsufficientStorageException">The data folder has no room for the marker.</exception>
    public void MarkCancelRequested(string id) => InsufficientStorageException.OnFullDisk("the cancellation request",
        () => AtomicFile.WriteAllBytes(Path.Combine(JobDirectory(id), CancelMarkerFileName), "cancel"u8));

    public bool IsCancelRequested(string id) => File.Exists(Path.Combine(JobDirectory(id), CancelMarkerFileName));

    public void DeleteCheckpoint(string id) => DataFolder.DeleteQuietly(CheckpointDirectory(id), logger);

    /// <summary>
    /// Deletes what no live operation owns: the temporary files of record and checkpoint writes whose process died,
    /// untouched since <paramref name="cutoffUtc"/>; the checkpoints of finished jobs (a crash between the end of a run
    /// and its clean-up leaves one; an unfinished job's is kept, its next execution resumes from it); and job folders
    /// that never got a record. Returns how many went.
    /// </summary>
    public int DeleteAbandonedFiles(DateTime cutoffUtc)
    {
        var deleted = 0;
        foreach (var directory in Directory.EnumerateDirectories(folder.Jobs))
        {
            var id = Path.GetFileName(directory);
            if (!RecordIds.IsJobId(id)) continue;
            deleted += AtomicFile.DeleteAbandoned(directory, cutoffUtc) + AtomicFile.DeleteAbandoned(CheckpointDirectory(id), cutoffUtc);
            if (!File.Exists(Path.Combine(directory, RecordFileName)))
            {
                // Create() writes the record right after the folder: an old folder without one is a creation that died.
                if (Directory.GetLastWriteTimeUtc(directory) >= cutoffUtc) continue;
                DataFolder.DeleteQuietly(directory, logger);
                deleted++;
            }
            else if (Find(id) is { IsFinished: true } && Directory.Exists(CheckpointDirectory(id)))
            {
                DeleteCheckpoint(id);
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>
    /// An exclusive lock on the job's lock file (flock on Linux: held by this process until disposed, and
    /// released by the kernel if the process dies), so an API node and a worker never interleave a
    /// read-modify-write of the same record.
    /// </summary>
    private FileStream AcquireRecordLock(string id)
    {
        var path = Path.Combine(JobDirectory(id), RecordLockFileName);
        var deadline = DateTime.UtcNow + RecordLockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && Directory.Exists(JobDirectory(id)))
            {
                Thread.Sleep(10);
            }
        }
    }

    private void Write(TrainingJob job) =>
        AtomicFile.WriteJson(Path.Combine(JobDirectory(job.Id), RecordFileName), job, RecordJson.Options);
}
