using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;

namespace EmotionApi.Learning.Tests.Data;

public class GroupedStratifiedSplitTests
{
    [Theory]
    [InlineData(772, 858, 0.2, 21)]
    [InlineData(37, 41, 0.3, 9)]
    [InlineData(10, 3, 0.5, 2)]
    public void Without_groups_it_is_the_articles_split_image_for_image(int negatives, int positives, double fraction, int seed)
    {
        var images = Dataset(negatives, positives);

        var article = StratifiedSplit.Split(images, fraction, seed);
        var grouped = GroupedStratifiedSplit.Split(images, [], fraction, seed);

        Assert.Equal(Ids(article.Test), Ids(grouped.Test));
        Assert.Equal(Ids(article.Train), Ids(grouped.Train));
    }

    [Fact]
    public void Every_group_lands_whole_on_one_side_and_each_class_keeps_its_test_share()
    {
        var images = Dataset(negatives: 100, positives: 120);
        var groups = new List<IReadOnlyCollection<string>>();
        for (var g = 0; g < 12; g++) // groups of 2 to 5, every third one holding both classes
        {
            var size = 2 + g % 4;
            var members = Enumerable.Range(0, size).Select(k => Id(g % 2 == 0 ? EmotionClass.Negative : EmotionClass.Positive, 1 + g * 6 + k)).ToList();
            if (g % 3 == 0) members.Add(Id(EmotionClass.Positive, 100 + g));
            groups.Add(members);
        }

        foreach (var seed in new[] { 1, 2, 3, 21 })
        {
            var split = GroupedStratifiedSplit.Split(images, groups, 0.2, seed);

            var test = Ids(split.Test).ToHashSet();
            foreach (var group in groups)
                Assert.True(group.All(test.Contains) || !group.Any(test.Contains), $"seed {seed}: group {string.Join(",", group)} straddles the split");
            Assert.Equal(20, split.Count(EmotionClass.Negative, test: true)); // floor(100 x 0.2): singletons fill what groups leave
            Assert.Equal(24, split.Count(EmotionClass.Positive, test: true));
            Assert.Equal(220, split.Train.Count + split.Test.Count);
            Assert.Equal(Ids(images).Order(), Ids(split.Train.Concat(split.Test)).Order());
        }
    }

    [Fact]
    public void Split_by_hashes_leaves_no_test_image_with_a_near_duplicate_in_training_where_the_articles_split_does()
    {
        var images = Dataset(negatives: 150, positives: 150);
        var random = new Random(3);
        var hashes = images.Select(_ => (ulong)random.NextInt64() ^ (ulong)random.NextInt64() << 1).ToArray();
        for (var copy = 0; copy < 40; copy++) // 40 near copies (2 bits flipped) of images in the other half of each class
        {
            var original = copy < 20 ? copy : 150 + copy;
            hashes[original + 75] = hashes[original] ^ (1UL << copy) ^ (1UL << (copy + 20));
        }
        var byId = images.Select((image, i) => (image.Id, Hash: hashes[i])).ToDictionary(pair => pair.Id, pair => pair.Hash);
        int Leaks(SplitResult split) => DuplicateFinder.CountWithNearDuplicate(
            split.Test.Select(image => byId[image.Id]).ToList(), split.Train.Select(image => byId[image.Id]).ToList(), nearDistance: 4);

        var article = StratifiedSplit.Split(images, 0.2, seed: 21);
        var grouped = GroupedStratifiedSplit.Split(images, hashes, nearDistance: 4, 0.2, seed: 21);

        Assert.True(Leaks(article) > 0, "the article's split should let some copies straddle it");
        Assert.Equal(0, Leaks(grouped));
        Assert.Equal(30, grouped.Count(EmotionClass.Negative, test: true));
        Assert.Equal(30, grouped.Count(EmotionClass.Positive, test: true));
    }

    [Fact]
    public void A_group_with_both_classes_uses_the_room_of_both()
    {
        var images = Dataset(negatives: 5, positives: 5);
        IReadOnlyCollection<string>[] groups = [[Id(EmotionClass.Negative, 1), Id(EmotionClass.Positive, 1)]];

        foreach (var seed in Enumerable.Range(1, 30))
        {
            var split = GroupedStratifiedSplit.Split(images, groups, 0.2, seed);

            var test = Ids(split.Test);
            Assert.Equal(1, split.Count(EmotionClass.Negative, test: true));
            Assert.Equal(1, split.Count(EmotionClass.Positive, test: true));
            Assert.Equal(test.Contains(Id(EmotionClass.Negative, 1)), test.Contains(Id(EmotionClass.Positive, 1)));
        }
    }

    [Fact]
    public void A_group_larger_than_the_room_goes_to_training_and_a_class_can_fall_short_but_never_over()
    {
        var images = Dataset(negatives: 10, positives: 10);
        // Negatives in five pairs: floor(10 x 0.3) = 3 has room for one pair and then for no other.
        var pairs = Enumerable.Range(0, 5).Select(p => (IReadOnlyCollection<string>)[Id(EmotionClass.Negative, 2 * p + 1), Id(EmotionClass.Negative, 2 * p + 2)]).ToList();
        IReadOnlyCollection<string> triple = [Id(EmotionClass.Positive, 1), Id(EmotionClass.Positive, 2), Id(EmotionClass.Positive, 3)];

        foreach (var seed in Enumerable.Range(1, 20))
        {
            var split = GroupedStratifiedSplit.Split(images, [.. pairs, triple], 0.2, seed);
            var shortSplit = GroupedStratifiedSplit.Split(images, pairs, 0.3, seed);

            Assert.DoesNotContain(split.Test, image => triple.Contains(image.Id)); // 3 never fits in floor(10 x 0.2) = 2
            Assert.Equal(2, split.Count(EmotionClass.Positive, test: true));
            Assert.Equal(2, shortSplit.Count(EmotionClass.Negative, test: true));
            Assert.Equal(3, shortSplit.Count(EmotionClass.Positive, test: true));
        }
    }

    // Deciding a group where the walk first meets any member would send a group of 3 to test about
    // 1 - 0.8^3 = 49 % of the time at a fraction of 0.2; its representative is met at a uniform place.
    [Fact]
    public void A_group_lands_in_test_about_as_often_as_a_single_image_whatever_its_size()
    {
        var images = Dataset(negatives: 500, positives: 500);
        var groups = new List<IReadOnlyCollection<string>>();
        foreach (var label in Enum.GetValues<EmotionClass>())
        {
            for (var g = 0; g < 50; g++)
                groups.Add(Enumerable.Range(1 + 3 * g, 3).Select(number => Id(label, number)).ToList());
        }
        var grouped = groups.SelectMany(group => group).ToHashSet();

        var inTest = Enumerable.Range(1, 20)
            .Sum(seed => GroupedStratifiedSplit.Split(images, groups, 0.2, seed).Test.Count(image => grouped.Contains(image.Id)));

        Assert.InRange(inTest / (20.0 * grouped.Count), 0.16, 0.24);
    }

    [Fact]
    public void The_same_images_groups_and_seed_give_the_same_split_and_another_seed_another()
    {
        var images = Dataset(40, 40);
        IReadOnlyCollection<string>[] groups = [[Id(EmotionClass.Negative, 3), Id(EmotionClass.Negative, 4)], [Id(EmotionClass.Positive, 7), Id(EmotionClass.Positive, 9)]];

        var first = GroupedStratifiedSplit.Split(images, groups, 0.25, seed: 5);
        var again = GroupedStratifiedSplit.Split(images.AsEnumerable().Reverse().ToList(), groups, 0.25, seed: 5);
        var other = GroupedStratifiedSplit.Split(images, groups, 0.25, seed: 6);

        Assert.Equal(Ids(first.Test), Ids(again.Test));
        Assert.Equal(Ids(first.Train), Ids(again.Train));
        Assert.NotEqual(Ids(first.Test), Ids(other.Test));
    }

    [Fact]
    public void Groups_naming_unknown_or_repeated_images_and_a_wrong_hash_count_are_refused()
    {
        var images = Dataset(5, 5);

        var unknown = Assert.Throws<ArgumentException>(() => GroupedStratifiedSplit.Split(images, [[Id(EmotionClass.Negative, 1), "nobody"]], 0.2, 1));
        var twice = Assert.Throws<ArgumentException>(() => GroupedStratifiedSplit.Split(images, [[Id(EmotionClass.Negative, 1), Id(EmotionClass.Negative, 2)], [Id(EmotionClass.Negative, 2), Id(EmotionClass.Positive, 1)]], 0.2, 1));
        var hashes = Assert.Throws<ArgumentException>(() => GroupedStratifiedSplit.Split(images, new ulong[9], 4, 0.2, 1));

        Assert.Contains("'nobody'", unknown.Message);
        Assert.Contains("'negative-002'", twice.Message);
        Assert.Contains("10 images but 9 hashes", hashes.Message);
        Assert.Throws<ArgumentException>(() => GroupedStratifiedSplit.Split(images, [], 1.0, 1));
    }

    private static List<DatasetImage> Dataset(int negatives, int positives) =>
        Enumerable.Range(1, negatives).Select(i => Image(EmotionClass.Negative, i))
            .Concat(Enumerable.Range(1, positives).Select(i => Image(EmotionClass.Positive, i)))
            .ToList();

    private static string Id(EmotionClass label, int number) => $"{label.ToString().ToLowerInvariant()}-{number:D3}";

    private static DatasetImage Image(EmotionClass label, int number) => new(Id(label, number), label, $"/data/{label}/{Id(label, number)}.png");

    private static List<string> Ids(IEnumerable<DatasetImage> images) => images.Select(image => image.Id).ToList();
}
