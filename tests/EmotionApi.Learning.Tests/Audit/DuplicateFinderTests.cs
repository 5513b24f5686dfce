using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;

namespace EmotionApi.Learning.Tests.Audit;

public class DuplicateFinderTests
{
    private const EmotionClass Positive = EmotionClass.Positive;
    private const EmotionClass Negative = EmotionClass.Negative;

    [Fact]
    public void Near_images_of_one_class_are_duplicates_and_a_group_with_both_classes_is_a_label_conflict()
    {
        HashedImage[] images =
        [
            new("p1", Positive, 0b0000_0000),
            new("p2", Positive, 0b0000_0111), // 3 from p1
            new("n1", Negative, 0b1100_0000), // 2 from p1, 5 from p2
            new("n2", Negative, 0xFF00_0000_0000_0000),
            new("n3", Negative, 0xFF00_0000_0000_0001), // 1 from n2
            new("p3", Positive, 0x00FF_FF00_0000_0000), // far from all
        ];

        var audit = DuplicateFinder.Audit(images, nearDistance: 3);

        var conflict = Assert.Single(audit.LabelConflicts);
        Assert.Equal(["p1", "p2", "n1"], conflict.Images.Select(image => image.File));
        Assert.Equal([Positive, Positive, Negative], conflict.Images.Select(image => image.Class));
        Assert.Equal(5, conflict.MaxDistance); // p2 to n1, linked through p1
        Assert.Equal(2, audit.Duplicates.Count);
        Assert.Equal(["p1", "p2"], audit.Duplicates[0].Images.Select(image => image.File));
        Assert.Equal(3, audit.Duplicates[0].MaxDistance);
        Assert.Equal(["n2", "n3"], audit.Duplicates[1].Images.Select(image => image.File));
        Assert.Equal(1, audit.Duplicates[1].MaxDistance);
        Assert.Equal(3, audit.NearDistance);
    }

    [Fact]
    public void A_chain_of_near_pairs_is_one_group_whose_max_distance_can_exceed_the_near_distance()
    {
        HashedImage[] images = [new("a", Positive, 0b0000), new("b", Positive, 0b0011), new("c", Positive, 0b1111)];

        var group = Assert.Single(DuplicateFinder.Audit(images, nearDistance: 2).Duplicates);

        Assert.Equal(["a", "b", "c"], group.Images.Select(image => image.File));
        Assert.Equal(4, group.MaxDistance);
    }

    [Fact]
    public void Near_distance_zero_finds_only_identical_hashes()
    {
        HashedImage[] images = [new("a", Negative, 42), new("b", Negative, 43), new("c", Negative, 42), new("d", Positive, 42)];

        var audit = DuplicateFinder.Audit(images, nearDistance: 0);

        Assert.Equal(["a", "c"], Assert.Single(audit.Duplicates).Images.Select(image => image.File));
        Assert.Equal(["a", "c", "d"], Assert.Single(audit.LabelConflicts).Images.Select(image => image.File));
        Assert.Equal(0, audit.LabelConflicts[0].MaxDistance);
    }

    [Fact]
    public void Images_two_bits_apart_are_no_group_at_distance_1_and_one_group_at_distance_2()
    {
        var images = Enumerable.Range(0, 64).Select(bit => new HashedImage($"i{bit}", Positive, 1UL << bit)).ToList();

        var apart = DuplicateFinder.Audit(images, nearDistance: 1);
        var together = Assert.Single(DuplicateFinder.Audit(images, nearDistance: 2).Duplicates);

        Assert.Empty(apart.Duplicates);
        Assert.Empty(apart.LabelConflicts);
        Assert.Equal(64, together.Images.Count);
        Assert.Equal(2, together.MaxDistance);
    }

    // Large enough for every core to scan its own rows: pair (10, 1501) is found from row 10, pair
    // (1501, 2998) from row 1501, and only merging the cores' sets chains the three.
    [Fact]
    public void A_chain_found_by_different_cores_is_still_one_group()
    {
        var random = new Random(5);
        var hashes = Enumerable.Range(0, 3000).Select(_ => (ulong)random.NextInt64() ^ (ulong)random.NextInt64() << 1).ToArray();
        hashes[1501] = hashes[10] ^ 0b0011;
        hashes[2998] = hashes[10] ^ 0b1111;
        var images = hashes.Select((hash, i) => new HashedImage($"i{i}", i == 2998 ? Negative : Positive, hash)).ToList();

        var audit = DuplicateFinder.Audit(images, nearDistance: 2);

        Assert.Equal([[10, 1501, 2998]], DuplicateFinder.Groups(hashes, nearDistance: 2));
        Assert.Equal(["i10", "i1501", "i2998"], Assert.Single(audit.LabelConflicts).Images.Select(image => image.File));
        Assert.Equal(4, audit.LabelConflicts[0].MaxDistance);
        Assert.Equal(["i10", "i1501"], Assert.Single(audit.Duplicates).Images.Select(image => image.File));
    }

    [Fact]
    public void Groups_ignore_classes_and_list_indices_by_first_member()
    {
        ulong[] hashes = [0xFF, 0x0F00, 0xFE, 0x0F01, 0xF000_0000];

        var groups = DuplicateFinder.Groups(hashes, nearDistance: 1);

        Assert.Equal([[0, 2], [1, 3]], groups);
    }

    [Fact]
    public void Counting_leakage_counts_test_images_with_any_near_training_image()
    {
        ulong[] train = [0b0000, 0xFF00];
        ulong[] test = [0b0001, 0b0111, 0xFF01, 0xF0F0_0000];

        Assert.Equal(2, DuplicateFinder.CountWithNearDuplicate(test, train, nearDistance: 1));
        Assert.Equal(3, DuplicateFinder.CountWithNearDuplicate(test, train, nearDistance: 3));
        Assert.Equal(0, DuplicateFinder.CountWithNearDuplicate(test, [], nearDistance: 3));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void A_near_distance_outside_0_to_64_is_refused(int nearDistance)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DuplicateFinder.Audit([], nearDistance));
        Assert.Throws<ArgumentOutOfRangeException>(() => DuplicateFinder.Groups([], nearDistance));
        Assert.Throws<ArgumentOutOfRangeException>(() => DuplicateFinder.CountWithNearDuplicate([], [], nearDistance));
    }
}
