using System.Globalization;

namespace EmotionApi.Learning.Data;

/// <summary>
/// The article's prepare_data(valid_size=0.2, seed=21): per class independently, a shuffle seeded
/// afresh for each class, the first floor(n * testFraction) images to test, the rest to train.
/// </summary>
/// <remarks>
/// The article shuffled os.listdir's order (which differs between file systems) with Python's
/// random; here each class is first ordered by <see cref="DatasetImage.Id"/> (ordinal) and then
/// shuffled with a seeded <see cref="Random"/>, whose seeded sequence is fixed across .NET versions
/// and machines, so the split depends only on the images, the fraction and the seed.
/// </remarks>
public static class StratifiedSplit
{
    public const double ArticleTestFraction = 0.2;
    public const int ArticleRandomSeed = 21;

    /// <exception cref="ArgumentException">
    /// A fraction outside [0, 1), or two images with the same id (their order would be undefined).
    /// </exception>
    public static SplitResult Split(IReadOnlyList<DatasetImage> images, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (FractionProblem(testFraction) is { } problem) throw new ArgumentException(problem, nameof(testFraction));
        var duplicate = images.GroupBy(image => image.Id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Image id '{duplicate.Key}' appears {duplicate.Count()} times; ids must be unique.", nameof(images));

        var train = new List<DatasetImage>(images.Count);
        var test = new List<DatasetImage>(images.Count);
        foreach (var label in Enum.GetValues<EmotionClass>())
        {
            var members = images.Where(image => image.Label == label).OrderBy(image => image.Id, StringComparer.Ordinal).ToArray();
            // Re-seeded for every class, as the article does: one class's split ignores the other's size.
            Shuffle(members, new Random(seed));
            var testCount = TestCount(members.Length, testFraction);
            test.AddRange(members.AsSpan(0, testCount));
            train.AddRange(members.AsSpan(testCount));
        }
        return new SplitResult(train, test);
    }

    /// <summary>Images of a class that go to test: the article's int(n * valid_size), i.e. floor.</summary>
    public static int TestCount(int classSize, double testFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classSize);
        if (FractionProblem(testFraction) is { } problem) throw new ArgumentException(problem, nameof(testFraction));
        return (int)Math.Floor(classSize * testFraction);
    }

    /// <summary>
    /// Why <paramref name="testFraction"/> cannot split a dataset with these class sizes (a class
    /// missing, or left without a test or a training image), or null when it can.
    /// </summary>
    public static string? Problem(IReadOnlyDictionary<EmotionClass, int> classCounts, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(classCounts);
        if (FractionProblem(testFraction) is { } problem) return problem;
        foreach (var label in Enum.GetValues<EmotionClass>())
        {
            var size = classCounts.GetValueOrDefault(label);
            var testCount = TestCount(size, testFraction);
            var fraction = testFraction.ToString(CultureInfo.InvariantCulture);
            if (size == 0)
                return $"The dataset has no {label} image.";
            if (testCount == 0)
                return $"A test fraction of {fraction} puts none of the {size} {label} images in the test set (floor({size} x {fraction}) = 0).";
            if (testCount == size)
                return $"A test fraction of {fraction} leaves none of the {size} {label} images for training.";
        }
        return null;
    }

    private static string? FractionProblem(double testFraction) =>
        double.IsFinite(testFraction) && testFraction is >= 0 and < 1
            ? null
            : $"The test fraction must be at least 0 and below 1; got {testFraction.ToString(CultureInfo.InvariantCulture)}.";

    // Fisher-Yates from the end, as Python's random.shuffle walks it.
    private static void Shuffle<T>(T[] items, Random random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
