using System.Diagnostics;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Training;

/// <summary>
/// A whole run: prepare images (once, in parallel, or not at all when a <see cref="PreparedImageCache"/> has them
/// already), split (test, then validation), train with augmentation, pick the best epoch, evaluate on the test set.
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
    private readonly PreparedImageCache? preparedImages;

    /// <param name="preparedImages">
    /// Where runs keep their prepared images: streamed from disk batch by batch, memory independent of the dataset's
    /// size, and reused by later runs on the same images and size. Null keeps them in memory for the run (a few
    /// hundred images: tests, small tools).
    /// </param>
    public TrainingPipeline(PreparedImageCache? preparedImages = null)
        : this(NetworkCatalog.Create, preparedImages)
    {
    }

    /// <summary>With another source of networks (tests); the manifest still names <see cref="TrainingSettings.Network"/>.</summary>
    internal TrainingPipeline(Func<string, ImageSize, nn.Module<Tensor, Tensor>> createNetwork, PreparedImageCache? preparedImages = null)
    {
        this.createNetwork = createNetwork;
        this.preparedImages = preparedImages;
    }

    /// <param name="checkpointDirectory">
    /// When given, the state after each completed epoch is saved there (atomically), and a run that
    /// finds a checkpoint of the same settings and images resumes after its last completed epoch. The
    /// checkpoint stays after the run (a crash while the caller saves the model then costs no epoch);
    /// the caller deletes the directory once the model is safe.
    /// </param>
    /// <exception cref="ArgumentException">The settings are not valid (<see cref="TrainingSettingsValidator"/>).</exception>
    /// <exception cref="TrainingDataException">An image does not prepare, or a part of the split would be empty.</exception>
    /// <exception cref="IO.DiskFullException">The prepared-image cache has no room on its disk.</exception>
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
        var (prepared, hashes) = Prepare(images, size, limits ?? ImageLimits.Default, cancellationToken);
        using var preparedFile = prepared as IDisposable;
        var (train, validation, test) = Split(images, hashes, settings);
        var indexOf = new Dictionary<string, int>(images.Count, StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++) indexOf[images[i].Id] = i;
        LabeledImages Labeled(IReadOnlyList<DatasetImage> part) => new(
            new PreparedImageSubset(prepared, part.Select(image => indexOf[image.Id])),
            part.Select(image => (int)image.Label).ToArray());

        observer.OnStage(TrainingStage);
        var hasValidation = validation.Count > 0;
        nn.Module<Tensor, Tensor> Network() => createNetwork(settings.Network, size);
        var checkpoint = checkpointDirectory is null ? null : new TrainingCheckpoint(checkpointDirectory);
        var fingerprint = TrainingCheckpoint.Fingerprint(settings, images);
        var testSet = Labeled(test);
        var validationSet = hasValidation ? Labeled(validation) : null;
        var monitor = validationSet ?? testSet;
        var trained = settings.FreezeBackbone
            ? new FrozenBackboneTraining(settings, Network, observer).Train(Labeled(train), monitor, hasValidation, checkpoint, fingerprint, cancellationToken)
            : new TrainingLoop(settings, Network, observer).Train(Labeled(train), monitor, hasValidation, checkpoint, fingerprint, cancellationToken);

        try
        {
            observer.OnStage(EvaluatingStage);
            // Scored as the model will predict: with its mirror image too when the run asks for flip test-time augmentation.
            float[] Logits(LabeledImages part) =>
                NetworkInference.Logits(trained.Network, part.Images, settings.BatchSize, cancellationToken, settings.TestTimeFlip);
            ScoredImages Scores(LabeledImages part, float[] logits) => new(part.Labels, logits.Select(NetworkInference.Sigmoid).ToArray());
            // Without a validation part the loop monitored the test set with the final network: reuse its last pass.
            var testScores = Scores(testSet, trained.FinalMonitorLogits ?? Logits(testSet));
            var validationScores = validationSet is null ? null : Scores(validationSet, Logits(validationSet));
            var seen = train.Concat(validation).Select(image => hashes[image.Id]).ToArray();
            var report = testScores.Evaluate(settings.Threshold) with
            {
                TestImagesWithNearDuplicateInTraining = DuplicateFinder.CountWithNearDuplicate(
                    test.Select(image => hashes[image.Id]).ToArray(), seen, settings.NearDuplicateDistance),
            };
            var manifest = new ModelManifest
            {
                Network = settings.Network,
                ImageHeight = size.Height,
                ImageWidth = size.Width,
                Preparation = ImageCodec.PreparationDescription,
                ClassNames = ModelManifest.BinaryClassNames,
                Threshold = settings.Threshold,
                ThresholdOrigin = new ThresholdOrigin
                {
                    Rule = ThresholdOrigin.DefaultRule,
                    Validation = validationScores is null ? null : ThresholdSelection.At(validationScores.Labels, validationScores.Scores, settings.Threshold),
                },
                Settings = settings,
                TestMetrics = report,
                BestEpoch = trained.BestEpoch,
                LibraryVersions = ModelManifest.CurrentLibraryVersions(),
            };
            var split = new SplitRecord(Ids(train), Ids(validation), Ids(test));
            return new TrainingOutcome(
                new TrainedModel(manifest, trained.Network), trained.History, trained.BestEpoch, report, split, clock.Elapsed.TotalSeconds,
                testScores, validationScores);
        }
        catch
        {
            trained.Network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The run's images, index i being <paramref name="images"/>[i], as bytes (floats are made batch by batch), and every
    /// image's perceptual hash (the one it came with, else computed from its file): from the cache when there is one
    /// (built first if needed, hashes included, so a later run reads no image file), otherwise decoded and resized into
    /// memory, in parallel.
    /// </summary>
    private (IPreparedImageSource Images, Dictionary<string, ulong> Hashes) Prepare(
        IReadOnlyList<DatasetImage> images, ImageSize size, ImageLimits limits, CancellationToken cancellationToken)
    {
        if (preparedImages is not null)
        {
            var file = preparedImages.Open(images, size, limits, cancellationToken);
            return (file, HashesById(images, file.Hash));
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            if (!ids.Add(image.Id))
                throw new TrainingDataException($"Image id '{image.Id}' appears twice; each image of a dataset needs its own id.");
        }
        var prepared = new PreparedImage[images.Count];
        var hashes = new ulong[images.Count];
        ImagePreparation.PrepareEach(images, size, limits, (index, image, hash) => (prepared[index], hashes[index]) = (image, hash), cancellationToken);
        return (new PreparedImageList(size, prepared), HashesById(images, index => hashes[index]));
    }

    private static Dictionary<string, ulong> HashesById(IReadOnlyList<DatasetImage> images, Func<int, ulong> hash)
    {
        var byId = new Dictionary<string, ulong>(images.Count, StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++) byId[images[i].Id] = hash(i);
        return byId;
    }

    /// <summary>
    /// The article's stratified test split; then, when the settings ask for it, a stratified validation part
    /// carved from the training part with the next seed. With <see cref="TrainingSettings.GroupDuplicates"/> both keep
    /// each group of near duplicates on one side (<see cref="GroupedStratifiedSplit"/>).
    /// </summary>
    private static (IReadOnlyList<DatasetImage> Train, IReadOnlyList<DatasetImage> Validation, IReadOnlyList<DatasetImage> Test) Split(
        IReadOnlyList<DatasetImage> images, IReadOnlyDictionary<string, ulong> hashes, TrainingSettings settings)
    {
        if (StratifiedSplit.Problem(ClassCounts(images), settings.TestFraction) is { } testProblem)
            throw new TrainingDataException($"The images cannot be split into training and test parts: {testProblem}");
        var outer = SplitOnce(images, hashes, settings, settings.TestFraction, settings.Seed);
        RequireBothClasses(outer, "training and test parts");
        IReadOnlyList<DatasetImage> train = outer.Train, validation = [];
        if (settings.ValidationFraction > 0)
        {
            if (StratifiedSplit.Problem(ClassCounts(outer.Train), settings.ValidationFraction) is { } validationProblem)
                throw new TrainingDataException(
                    $"The training part cannot give a validation part (validationFraction {settings.ValidationFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}): {validationProblem}");
            var inner = SplitOnce(outer.Train, hashes, settings, settings.ValidationFraction, settings.Seed + 1);
            RequireBothClasses(inner, "training and validation parts");
            (train, validation) = (inner.Train, inner.Test);
        }
        return (train, validation, outer.Test);
    }

    private static SplitResult SplitOnce(
        IReadOnlyList<DatasetImage> images, IReadOnlyDictionary<string, ulong> hashes, TrainingSettings settings, double fraction, int seed) =>
        settings.GroupDuplicates
            ? GroupedStratifiedSplit.Split(images, images.Select(image => hashes[image.Id]).ToArray(), settings.NearDuplicateDistance, fraction, seed)
            : StratifiedSplit.Split(images, fraction, seed);

    // A grouped split can leave a class without held-out images when its near-duplicate groups are too large to move.
    private static void RequireBothClasses(SplitResult split, string parts)
    {
        foreach (var label in Enum.GetValues<EmotionClass>())
        {
            if (split.Count(label, test: true) == 0 || split.Count(label, test: false) == 0)
                throw new TrainingDataException(
                    $"Keeping near duplicates together leaves no {label} image on one side of the {parts}: its images form groups " +
                    "too large to move. Lower the near distance (Datasets:Audit:NearDistance), or set groupDuplicates to false.");
        }
    }

    private static Dictionary<EmotionClass, int> ClassCounts(IReadOnlyList<DatasetImage> images) =>
        images.GroupBy(image => image.Label).ToDictionary(group => group.Key, group => group.Count());

    private static IReadOnlyList<string> Ids(IReadOnlyList<DatasetImage> part) => part.Select(image => image.Id).ToArray();

    private sealed class SilentObserver : ITrainingObserver
    {
        public static readonly SilentObserver Instance = new();
    }
}
