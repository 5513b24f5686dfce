using EmotionApi.Learning.Data;

namespace EmotionApi.Learning.Tests.Data;

public class StratifiedSplitTests
{
    [Fact]
    public void The_articles_class_sizes_give_its_154_Negative_and_171_Positive_test_images()
    {
        var images = Dataset(negatives: 772, positives: 858);

        var split = StratifiedSplit.Split(images, StratifiedSplit.ArticleTestFraction, StratifiedSplit.ArticleRandomSeed);

        Assert.Equal(154, split.Count(EmotionClass.Negative, test: true));
        Assert.Equal(171, split.Count(EmotionClass.Positive, test: true));
        Assert.Equal(618, split.Count(EmotionClass.Negative, test: false));
        Assert.Equal(687, split.Count(EmotionClass.Positive, test: false));
        Assert.Equal(1305, split.Train.Count);
        Assert.Equal(325, split.Test.Count);
    }

    [Theory]
    [InlineData(10, 10, 0.2, 2, 2)]
    [InlineData(9, 11, 0.2, 1, 2)]
    [InlineData(7, 3, 0.5, 3, 1)]
    [InlineData(100, 5, 0.25, 25, 1)]
    [InlineData(4, 4, 0.0, 0, 0)]
    [InlineData(3, 1, 0.9, 2, 0)]
    public void Each_class_sends_floor_of_its_size_times_the_fraction_to_test(
        int negatives, int positives, double fraction, int negativeTest, int positiveTest)
    {
        var split = StratifiedSplit.Split(Dataset(negatives, positives), fraction, seed: 5);

        Assert.Equal(negativeTest, split.Count(EmotionClass.Negative, test: true));
        Assert.Equal(positiveTest, split.Count(EmotionClass.Positive, test: true));
        Assert.Equal(negatives - negativeTest, split.Count(EmotionClass.Negative, test: false));
        Assert.Equal(positives - positiveTest, split.Count(EmotionClass.Positive, test: false));
    }

    [Fact]
    public void Every_image_lands_in_exactly_one_part()
    {
        var images = Dataset(negatives: 37, positives: 41);

        var split = StratifiedSplit.Split(images, 0.3, seed: 9);

        var placed = split.Train.Concat(split.Test).Select(image => image.Id).ToList();
        Assert.Equal(images.Count, placed.Count);
        Assert.Equal(images.Select(image => image.Id).Order(), placed.Order());
    }

    [Fact]
    public void The_same_images_and_seed_give_the_same_split()
    {
        var first = StratifiedSplit.Split(Dataset(50, 60), 0.2, seed: 21);
        var second = StratifiedSplit.Split(Dataset(50, 60), 0.2, seed: 21);

        Assert.Equal(Ids(first.Test), Ids(second.Test));
        Assert.Equal(Ids(first.Train), Ids(second.Train));
    }

    [Fact]
    public void Different_seeds_give_different_test_sets()
    {
        var images = Dataset(50, 60);

        var first = StratifiedSplit.Split(images, 0.2, seed: 21);
        var second = StratifiedSplit.Split(images, 0.2, seed: 22);

        Assert.NotEqual(Ids(first.Test).Order(), Ids(second.Test).Order());
    }

    [Fact]
    public void The_order_of_the_input_does_not_matter()
    {
        var images = Dataset(50, 60);
        var reordered = images.AsEnumerable().Reverse().OrderBy(image => image.Id.Length).ThenByDescending(image => image.Label).ToList();

        var first = StratifiedSplit.Split(images, 0.2, seed: 21);
        var second = StratifiedSplit.Split(reordered, 0.2, seed: 21);

        Assert.Equal(Ids(first.Test), Ids(second.Test));
        Assert.Equal(Ids(first.Train), Ids(second.Train));
    }

    [Fact]
    public void One_class_split_does_not_depend_on_the_other_class()
    {
        // The shuffle is re-seeded for each class, as the article's prepare_data does.
        var few = StratifiedSplit.Split(Dataset(negatives: 40, positives: 5), 0.2, seed: 21);
        var many = StratifiedSplit.Split(Dataset(negatives: 40, positives: 500), 0.2, seed: 21);

        Assert.Equal(
            Ids(few.Test.Where(image => image.Label == EmotionClass.Negative)),
            Ids(many.Test.Where(image => image.Label == EmotionClass.Negative)));
    }

    [Fact]
    public void The_split_for_a_seed_is_pinned_so_any_machine_and_runtime_reproduces_it()
    {
        // Seeded System.Random is specified to give the same sequence everywhere; this pins it.
        var split = StratifiedSplit.Split(Dataset(negatives: 10, positives: 10), 0.3, seed: 21);

        Assert.Equal(["negative-10", "negative-08", "negative-03", "positive-10", "positive-08", "positive-03"], Ids(split.Test));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_to_one_is_refused(double fraction)
    {
        var error = Assert.Throws<ArgumentException>(() => StratifiedSplit.Split(Dataset(5, 5), fraction, seed: 1));

        Assert.StartsWith("The test fraction must be at least 0 and below 1", error.Message);
        Assert.Equal("testFraction", error.ParamName);
    }

    [Fact]
    public void Duplicate_ids_are_refused()
    {
        var images = new[]
        {
            new DatasetImage("a.png", EmotionClass.Negative, "/data/a.png"),
            new DatasetImage("a.png", EmotionClass.Positive, "/data/other/a.png"),
        };

        var error = Assert.Throws<ArgumentException>(() => StratifiedSplit.Split(images, 0.2, seed: 1));

        Assert.StartsWith("Image id 'a.png' appears 2 times", error.Message);
    }

    [Fact]
    public void Problem_is_null_when_every_class_has_test_and_training_images()
    {
        var counts = new Dictionary<EmotionClass, int> { [EmotionClass.Negative] = 772, [EmotionClass.Positive] = 858 };

        Assert.Null(StratifiedSplit.Problem(counts, 0.2));
        Assert.Null(StratifiedSplit.Problem(counts, 0.99));
    }

    [Fact]
    public void Problem_names_a_class_the_fraction_leaves_out_of_the_test_set()
    {
        var counts = new Dictionary<EmotionClass, int> { [EmotionClass.Negative] = 4, [EmotionClass.Positive] = 50 };

        Assert.Equal(
            "A test fraction of 0.2 puts none of the 4 Negative images in the test set (floor(4 x 0.2) = 0).",
            StratifiedSplit.Problem(counts, 0.2));
        Assert.Null(StratifiedSplit.Problem(counts, 0.25));
    }

    [Fact]
    public void Problem_names_a_missing_class_and_a_bad_fraction()
    {
        Assert.Equal("The dataset has no Positive image.",
            StratifiedSplit.Problem(new Dictionary<EmotionClass, int> { [EmotionClass.Negative] = 10 }, 0.2));
        Assert.Equal("The test fraction must be at least 0 and below 1; got 1.",
            StratifiedSplit.Problem(new Dictionary<EmotionClass, int> { [EmotionClass.Negative] = 10, [EmotionClass.Positive] = 10 }, 1.0));
    }

    [Fact]
    public void A_zero_fraction_is_a_problem_because_nothing_is_left_to_test()
    {
        var counts = new Dictionary<EmotionClass, int> { [EmotionClass.Negative] = 10, [EmotionClass.Positive] = 10 };

        Assert.StartsWith("A test fraction of 0 puts none of the 10 Negative images in the test set", StratifiedSplit.Problem(counts, 0));
    }

    private static List<DatasetImage> Dataset(int negatives, int positives) =>
        Enumerable.Range(1, negatives).Select(i => Image(EmotionClass.Negative, i))
            .Concat(Enumerable.Range(1, positives).Select(i => Image(EmotionClass.Positive, i)))
            .ToList();

    private static DatasetImage Image(EmotionClass label, int number)
    {
        var id = $"{label.ToString().ToLowerInvariant()}-{number:D2}";
        return new DatasetImage(id, label, $"/data/{label}/{id}.png");
    }

    private static List<string> Ids(IEnumerable<DatasetImage> images) => images.Select(image => image.Id).ToList();
}
