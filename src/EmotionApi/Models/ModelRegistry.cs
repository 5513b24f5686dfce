using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using EmotionApi.Learning.IO;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;
using EmotionApi.Shared;

namespace EmotionApi.Models;

/// <summary>
/// The trained models: <c>models/{id}/</c> with weights, manifest and registration, built under tmp/
/// and moved into view with one rename, so a model folder in view is always complete. The default model
/// is the newest one unless a user chose another (<c>models/default.json</c>).
/// </summary>
public sealed class ModelRegistry(DataFolder folder, ModelCache cache, TimeProvider time, ILogger<ModelRegistry> logger)
{
    public const string RegistrationFileName = "registration.json";

    /// <summary>What answers a request for the default model while there is no model at all.</summary>
    public const string NoModelTitle = "No model yet",
        NoModelDetail = "No model has been trained yet: queue a training job (POST /api/training-jobs) and wait for it to succeed.";
    private const string DefaultChoiceFileName = "default.json";

    // Registrations never change once in view: parse each once (other nodes' models are found by listing the folder).
    private readonly ConcurrentDictionary<string, RegisteredModel> registrations = new(StringComparer.Ordinal);
    // The threshold lives in the model's manifest, which a threshold change replaces: cached by the file's stamp.
    private readonly ConcurrentDictionary<string, ((DateTime, long) Stamp, double Threshold, ThresholdOrigin Origin)> thresholds = new(StringComparer.Ordinal);
    private readonly Lock defaultGate = new();
    private readonly Lock thresholdGate = new();

    public string ModelDirectory(string id) => Path.Combine(folder.Models, id);

    /// <summary>
    /// Saves and registers the model a job produced, under the job's id. Idempotent: a job that registered
    /// its model and then died before recording success gets the same model back when it runs again.
    /// </summary>
    /// <param name="jobId">The job that trained it: also the model's id.</param>
    /// <param name="datasetId">The dataset it was trained on.</param>
    /// <param name="settings">The run's full settings.</param>
    /// <param name="outcome">The trained network and its results.</param>
    /// <exception cref="InsufficientStorageException">The data folder has no room for the model; nothing of it is left.</exception>
    public RegisteredModel Register(string jobId, string datasetId, TrainingSettings settings, TrainingOutcome outcome)
    {
        if (Find(jobId) is { } existing) return existing;

        var manifest = outcome.Model.Manifest;
        var registration = new RegisteredModel
        {
            Id = jobId,
            JobId = jobId,
            DatasetId = datasetId,
            Network = manifest.Network,
            Preset = settings.Preset,
            ImageHeight = manifest.ImageHeight,
            ImageWidth = manifest.ImageWidth,
            Threshold = manifest.Threshold,
            ClassNames = manifest.ClassNames,
            Settings = settings,
            BestEpoch = outcome.BestEpoch,
            History = outcome.History,
            Evaluation = outcome.Test,
            TrainingSeconds = outcome.Seconds,
            CreatedAt = time.GetUtcNow(),
            TestScores = outcome.TestScores,
            ValidationScores = outcome.ValidationScores,
        };

        var staging = InsufficientStorageException.OnFullDisk("the trained model", () => folder.NewTemporaryFolder($"model-{jobId}"));
        try
        {
            outcome.Model.Save(staging);
            AtomicFile.WriteJson(Path.Combine(staging, RegistrationFileName), registration, RecordJson.Options);
            Directory.Move(staging, ModelDirectory(jobId));
        }
        catch (IOException) when (Find(jobId) is { } registeredMeanwhile)
        {
            DataFolder.DeleteQuietly(staging, logger);
            return registeredMeanwhile;
        }
        catch (Exception e)
        {
            DataFolder.DeleteQuietly(staging, logger);
            if (DiskSpace.IsExhausted(e)) throw InsufficientStorageException.NoRoomFor("the trained model", e);
            throw;
        }

        registrations[registration.Id] = registration;
        logger.LogInformation("Registered model {ModelId} ({Network}, test accuracy {Accuracy:P1}, AUC {Auc:F3})",
            registration.Id, registration.Network, registration.Evaluation.Accuracy, registration.Evaluation.RocAuc);
        return WithCurrentThreshold(registration);
    }

    /// <summary>A model, with the threshold its manifest holds now; null when there is none.</summary>
    public RegisteredModel? Find(string id)
    {
        if (!RecordIds.IsJobId(id)) return null;
        var path = Path.Combine(ModelDirectory(id), RegistrationFileName);
        if (!File.Exists(path))
        {
            registrations.TryRemove(id, out _);
            thresholds.TryRemove(id, out _);
            return null;
        }
        if (registrations.TryGetValue(id, out var known)) return WithCurrentThreshold(known);
        try
        {
            var registration = AtomicFile.ReadJson<RegisteredModel>(path, RecordJson.Options);
            if (registration is null) return null;
            registrations[id] = registration;
            return WithCurrentThreshold(registration);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            logger.LogWarning(e, "Model registration {Path} is unreadable", path);
            return null;
        }
    }

    /// <summary>
    /// Records a new threshold in the model's manifest (one file replaced atomically, so every node reads the whole old
    /// or the whole new choice); /api/predict labels follow it from the next request on. Null when there is no such model.
    /// </summary>
    /// <exception cref="UnavailableException">The model's manifest no longer reads.</exception>
    /// <exception cref="InsufficientStorageException">The disk has no room for the new manifest; the old one stays.</exception>
    public RegisteredModel? ChooseThreshold(string id, double threshold, ThresholdOrigin origin)
    {
        if (Find(id) is null) return null;
        lock (thresholdGate)
        {
            try
            {
                InsufficientStorageException.OnFullDisk("the model's threshold",
                    () => TrainedModel.WriteThreshold(ModelDirectory(id), threshold, origin));
            }
            catch (InvalidModelException e)
            {
                throw new UnavailableException("Model unavailable", $"Model '{id}' cannot take a threshold: {e.Message}", e);
            }
            thresholds.TryRemove(id, out _);
        }
        logger.LogInformation("Model {ModelId}: threshold {Threshold} ({Rule})", id, threshold, origin.Rule);
        return Find(id);
    }

    /// <summary>
    /// The registration with the threshold its model's manifest holds now (it changes with PUT .../threshold, on any node):
    /// read again only when the manifest file changed. A manifest that no longer reads leaves the registration's own.
    /// </summary>
    private RegisteredModel WithCurrentThreshold(RegisteredModel registration)
    {
        var manifestPath = Path.Combine(ModelDirectory(registration.Id), TrainedModel.ManifestFileName);
        var file = new FileInfo(manifestPath);
        if (!file.Exists) return registration;
        var stamp = (file.LastWriteTimeUtc, file.Length);
        if (!thresholds.TryGetValue(registration.Id, out var current) || current.Stamp != stamp)
        {
            try
            {
                var manifest = TrainedModel.ReadManifest(ModelDirectory(registration.Id));
                current = (stamp, manifest.Threshold, manifest.EffectiveThresholdOrigin);
                thresholds[registration.Id] = current;
            }
            catch (Exception e) when (e is InvalidModelException or IOException)
            {
                logger.LogWarning(e, "The manifest of model {ModelId} is unreadable; its registered threshold stands", registration.Id);
                return registration;
            }
        }
        return registration with { Threshold = current.Threshold, ThresholdOrigin = current.Origin };
    }

    /// <summary>Every model, newest first.</summary>
    public IReadOnlyList<RegisteredModel> List()
    {
        if (!Directory.Exists(folder.Models)) return [];
        var present = Directory.EnumerateDirectories(folder.Models)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(RecordIds.IsJobId)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var gone in registrations.Keys.Where(id => !present.Contains(id))) registrations.TryRemove(gone, out _);
        return present
            .Select(Find)
            .OfType<RegisteredModel>()
            .OrderByDescending(model => model.CreatedAt)
            .ThenByDescending(model => model.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The model named, or the default one when <paramref name="modelId"/> is empty.</summary>
    /// <exception cref="NotFoundException">No model has the id <paramref name="modelId"/>.</exception>
    /// <exception cref="ConflictException">No model has been trained yet.</exception>
    public RegisteredModel NamedOrDefault(string? modelId)
    {
        if (!string.IsNullOrWhiteSpace(modelId))
            return Find(modelId) ?? throw NotFoundException.For("Model", modelId);
        return ResolveDefault()?.Model ?? throw new ConflictException(NoModelTitle, NoModelDetail);
    }

    /// <summary>The model loaded (once, shared) and leased for one use; dispose the lease when done.</summary>
    /// <exception cref="UnavailableException">The model's files no longer load.</exception>
    public ModelLease Load(RegisteredModel model)
    {
        try
        {
            return cache.Acquire(model.Id, ModelDirectory(model.Id));
        }
        catch (InvalidModelException e)
        {
            throw new UnavailableException("Model unavailable", $"Model '{model.Id}' cannot be loaded: {e.Message}", e);
        }
    }

    /// <summary>The model /api/predict uses when a request names none: the user's choice, else the newest; null when there is no model.</summary>
    public (RegisteredModel Model, bool ChosenByUser)? ResolveDefault() => ResolveDefault(List);

    /// <summary>The same, among <paramref name="models"/> (newest first) that the caller has listed already.</summary>
    public (RegisteredModel Model, bool ChosenByUser)? ResolveDefault(IReadOnlyList<RegisteredModel> models) => ResolveDefault(() => models);

    private (RegisteredModel Model, bool ChosenByUser)? ResolveDefault(Func<IReadOnlyList<RegisteredModel>> newestFirst)
    {
        if (ReadDefaultChoice() is { } choice && Find(choice.ModelId) is { } chosen) return (chosen, true);
        return newestFirst() is [var newest, ..] ? (newest, false) : null;
    }

    /// <exception cref="InsufficientStorageException">The data folder has no room for the choice; the previous one stays.</exception>
    public void ChooseDefault(string modelId)
    {
        lock (defaultGate)
        {
            InsufficientStorageException.OnFullDisk("the default-model choice",
                () => AtomicFile.WriteJson(DefaultChoicePath, new DefaultModelChoice(modelId, time.GetUtcNow()), RecordJson.Options));
        }
    }

    /// <summary>Forgets the user's choice: the newest model is the default again.</summary>
    public void ClearDefaultChoice()
    {
        lock (defaultGate)
        {
            File.Delete(DefaultChoicePath);
        }
    }

    /// <summary>Removes a model (moved out of view first, then deleted) and drops it from memory. False when there is none.</summary>
    public bool Delete(string id)
    {
        if (Find(id) is null) return false;
        var doomed = Path.Combine(folder.Temporary, $"deleted-model-{id}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(ModelDirectory(id), doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return false; // deleted meanwhile
        }
        registrations.TryRemove(id, out _);
        thresholds.TryRemove(id, out _);
        cache.Evict(id);
        lock (defaultGate)
        {
            if (ReadDefaultChoice()?.ModelId == id) File.Delete(DefaultChoicePath);
        }
        DataFolder.DeleteQuietly(doomed, logger);
        logger.LogInformation("Deleted model {ModelId}", id);
        return true;
    }

    /// <summary>
    /// A zip of the model's files (weights, manifest, registration) in a temporary file that is deleted when
    /// the returned stream is closed.
    /// </summary>
    /// <exception cref="InsufficientStorageException">The data folder has no room for the zip.</exception>
    public FileStream OpenArchive(string id)
    {
        var directory = ModelDirectory(id);
        var path = Path.Combine(folder.Temporary, $"download-{id}-{Guid.NewGuid():N}.zip");
        try
        {
            using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
            {
                foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
                    archive.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.Fastest);
            }
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        }
        catch (Exception e)
        {
            File.Delete(path);
            if (DiskSpace.IsExhausted(e)) throw InsufficientStorageException.NoRoomFor("the model's download", e);
            throw;
        }
    }

    /// <summary>Deletes the temporary files of default-choice writes whose process died, untouched since <paramref name="cutoffUtc"/>.</summary>
    public int DeleteAbandonedFiles(DateTime cutoffUtc) => AtomicFile.DeleteAbandoned(folder.Models, cutoffUtc);

    private string DefaultChoicePath => Path.Combine(folder.Models, DefaultChoiceFileName);

    private DefaultModelChoice? ReadDefaultChoice()
    {
        try
        {
            return AtomicFile.ReadJson<DefaultModelChoice>(DefaultChoicePath, RecordJson.Options);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            logger.LogWarning(e, "The default-model choice {Path} is unreadable; the newest model is the default", DefaultChoicePath);
            return null;
        }
    }
}
