using System.Diagnostics;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// A whole run: prepare images (once, in parallel), split (test, then validation), train with
/// augmentation, pick the best epoch, evaluate on the test set.
/// </summary>
/// <remarks>
/// Same images, settings and torch thread count give the same metrics and weights. torch.manual_seed is one
/// generator per process: two runs at once in one process stay correct but are no longer repeatable (the
/// service runs one training at a time per process). Predictions from other threads draw nothing from it.
/// </remarks>
public sealed class TrainingPipeline
{
    public const string LoadingImagesStage = "loading images";
    public const string TrainingStage = "training";
    public const string EvaluatingStage = "evaluating";

    private readonly Func<string, ImageSize, nn.Module<Tensor, Tensor>> createNetwork;

    public TrainingPipeline()
        : this(NetworkCatalog.Create)
    {
    }

    /// <summary>With another source of networks (tests); the manifest still names <see cref="TrainingSettings.Network"/>.</summary>
    internal TrainingPipeline(Func<string, ImageSize, nn.Module<Tensor, Tensor>> createNetwork) => this.createNetwork = createNetwork;

    /// <param name="checkpointDirectory">
    /// When given, the state after each completed epoch is saved there (atomically), and a run that
    /// finds a checkpoint of the same settings and images resumes after its last completed epoch. The
    /// checkpoint stays after the run (a crash while the caller saves the model then costs no epoch);
    /// the caller deletes the directory once the model is safe.
    /// </param>
    /// <exception cref="ArgumentException">The settings are not valid (<see cref="TrainingSettingsValidator"/>).</exception>
    /// <exception cref="TrainingDataException">An image does not prepare, or a part of the split would be empty.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; checked between batches.</exception>
    public TrainingOutcome Run(
        IReadOnlyList<DatasetImage> images,
        TrainingSettings settings,
        ITrainingObserver? observer = null,
        string? checkpointDirectory = null,
        ImageLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        TrainingSettingsValidator.EnsureValid(settings);
        TorchRuntime.EnsureLoaded();
        observer ??= SilentObserver.Instance;
        var clock = Stopwatch.StartNew();
        var size = new ImageSize(settings.ImageHeight, settings.ImageWidth);

        observer.OnStage(LoadingImagesStage);
        var prepared = Prepare(images, size, limits ?? ImageLimits.Default, cancellationToken);
        var (train, validation, test) = Split(images, settings);
        LabeledImages Labeled(IReadOnlyList<DatasetImage> part) => new(
            part.Select(image => prepared[image.Id]).ToArray(),
            part.Select(image => (int)image.Label).ToArray());

        observer.OnStage(TrainingStage);
        var hasValidation = validation.Count > 0;
        nn.Module<Tensor, Tensor> Network() => createNetwork(settings.Network, size);
        var checkpoint = checkpointDirectory is null ? null : new TrainingCheckpoint(checkpointDirectory);
        var fingerprint = TrainingCheckpoint.Fingerprint(settings, images);
        var monitor = hasValidation ? Labeled(validation) : Labeled(test);
        var trained = settings.FreezeBackbone
            ? new FrozenBackboneTraining(settings, Network, observer).Train(Labeled(train), monitor, hasValidation, checkpoint, fingerprint, cancellationToken)
            : new TrainingLoop(settings, Network, observer).Train(Labeled(train), monitor, hasValidation, checkpoint, fingerprint, cancellationToken);

        try
        {
            observer.OnStage(EvaluatingStage);
            var testSet = Labeled(test);
            // Without a validation part the loop monitored the test set with the final network: reuse its last pass.
            var logits = trained.FinalMonitorLogits
                ?? NetworkInference.Logits(trained.Network, testSet.Images, settings.BatchSize, cancellationToken, settings.TestTimeFlip);
            var probabilities = logits.Select(NetworkInference.Sigmoid).ToArray();
            var report = BinaryEvaluation.Evaluate(testSet.Labels, probabilities, settings.Threshold);
            var manifest = new ModelManifest
            {
                Network = settings.Network,
                ImageHeight = size.Height,
                ImageWidth = size.Width,
                Preparation = ImageCodec.PreparationDescription,
                ClassNames = ModelManifest.BinaryClassNames,
                Threshold = settings.Threshold,
                Settings = settings,
                TestMetrics = report,
                BestEpoch = trained.BestEpoch,
                LibraryVersions = ModelManifest.CurrentLibraryVersions(),
            };
            var split = new SplitRecord(Ids(train), Ids(validation), Ids(test));
            return new TrainingOutcome(
                new TrainedModel(manifest, trained.Network), trained.History, trained.BestEpoch, report, split, clock.Elapsed.TotalSeconds);
        }
        catch
        {
            trained.Network.Dispose();
            throw;
        }
    }

    /// <summary>Decodes and resizes every image once, in parallel; bytes are kept, floats are made batch by batch.</summary>
    private static Dictionary<string, PreparedImage> Prepare(
        IReadOnlyList<DatasetImage> images, ImageSize size, ImageLimits limits, CancellationToken cancellationToken)
    {
        var prepared = new PreparedImage[images.Count];
        var failures = new Exception?[images.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, images.Count, options, (i, loop) =>
        {
            try
            {
                prepared[i] = ImageCodec.Prepare(File.ReadAllBytes(images[i].FilePath), size, limits);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures[i] = e;
                loop.Stop();
            }
        });
        // Datasets are validated at upload: a file that fails now (deleted, corrupted on disk) fails the run.
        var failed = Array.FindIndex(failures, failure => failure is not null);
        if (failed >= 0)
        {
            var image = images[failed];
            throw new TrainingDataException(
                $"Image '{image.Id}' ({image.FilePath}) cannot be prepared for training: {failures[failed]!.Message}", failures[failed]);
        }

        var byId = new Dictionary<string, PreparedImage>(images.Count, StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++)
        {
            if (!byId.TryAdd(images[i].Id, prepared[i]))
                throw new TrainingDataException($"Image id '{images[i].Id}' appears twice; each image of a dataset needs its own id.");
        }
        return byId;
    }

    /// <summary>
    /// The article's stratified test split; then, when the settings ask for it, a stratified validation part
    /// carved from the training part with the next seed.
    /// </summary>
    private static (IReadOnlyList<DatasetImage> Train, IReadOnlyList<DatasetImage> Validation, IReadOnlyList<DatasetImage> Test) Split(
        IReadOnlyList<DatasetImage> images, TrainingSettings settings)
    {
        if (StratifiedSplit.Problem(ClassCounts(images), settings.TestFraction) is { } testProblem)
            throw new TrainingDataException($"The images cannot be split into training and test parts: {testProblem}");
        var outer = StratifiedSplit.Split(images, settings.TestFraction, settings.Seed);
        IReadOnlyList<DatasetImage> train = outer.Train, validation = [];
        if (settings.ValidationFraction > 0)
        {
            if (StratifiedSplit.Problem(ClassCounts(outer.Train), settings.ValidationFraction) is { } validationProblem)
                throw new TrainingDataException(
                    $"The training part cannot give a validation part (validationFraction {settings.ValidationFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}): {validationProblem}");
            var inner = StratifiedSplit.Split(outer.Train, settings.ValidationFraction, settings.Seed + 1);
            (train, validation) = (inner.Train, inner.Test);
        }
        return (train, validation, outer.Test);
    }

    private static Dictionary<EmotionClass, int> ClassCounts(IReadOnlyList<DatasetImage> images) =>
        images.GroupBy(image => image.Label).ToDictionary(group => group.Key, group => group.Count());

    private static IReadOnlyList<string> Ids(IReadOnlyList<DatasetImage> part) => part.Select(image => image.Id).ToArray();

    private sealed class SilentObserver : ITrainingObserver
    {
        public static readonly SilentObserver Instance = new();
    }
}
