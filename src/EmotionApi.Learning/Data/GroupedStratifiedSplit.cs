using EmotionApi.Learning.Audit;

namespace EmotionApi.Learning.Data;

/// <summary>
/// A stratified, seeded split that keeps each group of near-duplicate images on one side, so no test
/// image has a copy in training. Without groups it is exactly <see cref="StratifiedSplit"/> (the
/// article's split): each class ordered by id and shuffled with its own <c>new Random(seed)</c>, walked
/// in that order, the first floor(n x fraction) images to test.
/// </summary>
/// <remarks>
/// With groups the walk decides a group where it meets the group's representative (its member with the
/// smallest id), so a group's chance of landing in test is the fraction, whatever its size (deciding at
/// its first member met would favour large groups). A group goes to test only if every class it holds
/// still has room there; otherwise to training, and smaller units met later fill the room. A class's test
/// part can therefore fall short of floor(n x fraction) when only groups too large remain; it never
/// exceeds it. A group that holds both classes (a label conflict) counts against both quotas.
/// </remarks>
public static class GroupedStratifiedSplit
{
    /// <summary>Splits with the near-duplicate groups of <paramref name="hashes"/> (one hash per image, same order).</summary>
    /// <exception cref="ArgumentException">As <see cref="StratifiedSplit.Split"/>, or a hash count that differs from the image count.</exception>
    public static SplitResult Split(IReadOnlyList<DatasetImage> images, IReadOnlyList<ulong> hashes, int nearDistance, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count != images.Count)
            throw new ArgumentException($"{images.Count} images but {hashes.Count} hashes.", nameof(hashes));
        var groups = DuplicateFinder.Groups(hashes, nearDistance).Select(members => members.Select(i => images[i].Id).ToArray());
        return Split(images, groups.ToList(), testFraction, seed);
    }

    /// <summary>Splits keeping each group of image ids on one side; an image in no group is a group of its own.</summary>
    /// <exception cref="ArgumentException">
    /// As <see cref="StratifiedSplit.Split"/>, or a group naming an unknown id, or an id in two groups.
    /// </exception>
    public static SplitResult Split(IReadOnlyList<DatasetImage> images, IReadOnlyCollection<IReadOnlyCollection<string>> groups, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(groups);
        // Checks the fraction and the ids' uniqueness, and gives the article's shuffled order per class.
        var ungrouped = StratifiedSplit.Split(images, testFraction, seed);
        var byId = images.ToDictionary(image => image.Id, StringComparer.Ordinal);

        var unitOf = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var members = group.Select(id => byId.TryGetValue(id, out var image)
                ? image
                : throw new ArgumentException($"A group names image '{id}', which is not among the images.", nameof(groups))).ToArray();
            var unit = new Unit(members, members.Select(member => member.Id).Min(StringComparer.Ordinal)!);
            foreach (var member in members)
            {
                if (!unitOf.TryAdd(member.Id, unit))
                    throw new ArgumentException($"Image '{member.Id}' appears in the groups more than once.", nameof(groups));
            }
        }

        var room = Enum.GetValues<EmotionClass>().ToDictionary(
            label => label, label => StratifiedSplit.TestCount(images.Count(image => image.Label == label), testFraction));
        var inTest = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in Enum.GetValues<EmotionClass>())
        {
            // The article's per-class order: its test images first, then its training images, each shuffled.
            var walk = ungrouped.Test.Concat(ungrouped.Train).Where(image => image.Label == label);
            foreach (var image in walk)
            {
                var unit = unitOf.GetValueOrDefault(image.Id) ?? new Unit([image], image.Id);
                if (unit.Representative != image.Id) continue;
                var needs = unit.Members.GroupBy(member => member.Label).ToDictionary(part => part.Key, part => part.Count());
                if (needs.All(need => need.Value <= room[need.Key]))
                {
                    foreach (var need in needs) room[need.Key] -= need.Value;
                    foreach (var member in unit.Members) inTest.Add(member.Id);
                }
            }
        }

        // Same layout as StratifiedSplit: Negative then Positive, each in its shuffled order.
        var order = ungrouped.Test.Concat(ungrouped.Train).OrderBy(image => image.Label).ToList();
        return new SplitResult(
            order.Where(image => !inTest.Contains(image.Id)).ToList(),
            order.Where(image => inTest.Contains(image.Id)).ToList());
    }

    /// <summary>Images that go to the same side; the walk decides them where it meets <paramref name="Representative"/>.</summary>
    private sealed record Unit(DatasetImage[] Members, string Representative);
}
