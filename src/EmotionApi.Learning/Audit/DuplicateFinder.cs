using System.Numerics;

namespace EmotionApi.Learning.Audit;

/// <summary>
/// Finds exact and near duplicates among perceptual hashes: two images are near when their
/// <see cref="PerceptualHash.Distance"/> is at most the near distance, and groups are the connected
/// pieces of that relation (a chain a~b~c is one group). Within a class they are duplicates; a group
/// holding both classes is a label conflict.
/// </summary>
/// <remarks>
/// Every pair is compared (one XOR and one popcount on 64-bit hashes, no allocation): at 20,000 images
/// that is 2 x 10^8 pairs, a fraction of a second (docs/dataset-audit.md). Multi-index hashing or a
/// BK-tree prune nothing at near distances around 10 of 64 bits: pigeonhole on 11 chunks of 6 bits
/// still leaves most pairs as candidates, at a higher cost each.
/// </remarks>
public static class DuplicateFinder
{
    /// <summary>
    /// The near distance chosen by measurement (docs/dataset-audit.md): the resized, recompressed,
    /// slightly cropped and brightened copies it matches against the distinct pictures it confuses.
    /// </summary>
    public const int DefaultNearDistance = 10;

    /// <summary>Label conflicts and duplicates among <paramref name="images"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A near distance outside [0, 64].</exception>
    public static DatasetAudit Audit(IReadOnlyList<HashedImage> images, int nearDistance = DefaultNearDistance)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckNearDistance(nearDistance);
        var hashes = images.Select(image => image.Hash).ToArray();
        var anyClass = new DisjointSets(images.Count);
        var sameClass = new DisjointSets(images.Count);
        ForEachNearPair(hashes, nearDistance, (first, second) =>
        {
            anyClass.Union(first, second);
            if (images[first].Class == images[second].Class) sameClass.Union(first, second);
        });

        var conflicts = anyClass.Groups()
            .Where(members => members.Any(i => images[i].Class != images[members[0]].Class))
            .Select(members => Describe(members, images, hashes))
            .ToList();
        var duplicates = sameClass.Groups().Select(members => Describe(members, images, hashes)).ToList();
        return new DatasetAudit(conflicts, duplicates, nearDistance);
    }

    /// <summary>
    /// Groups of two or more near images, whatever their classes, as indices into <paramref name="hashes"/>
    /// in ascending order; groups ordered by their first index. These must stay on one side of a split.
    /// </summary>
    public static IReadOnlyList<int[]> Groups(IReadOnlyList<ulong> hashes, int nearDistance = DefaultNearDistance)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        CheckNearDistance(nearDistance);
        var sets = new DisjointSets(hashes.Count);
        ForEachNearPair(hashes.ToArray(), nearDistance, sets.Union);
        return sets.Groups();
    }

    /// <summary>How many of <paramref name="test"/> have a near duplicate among <paramref name="train"/>: the leakage a split lets through.</summary>
    public static int CountWithNearDuplicate(IReadOnlyList<ulong> test, IReadOnlyList<ulong> train, int nearDistance = DefaultNearDistance)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(train);
        CheckNearDistance(nearDistance);
        var trainHashes = train.ToArray();
        return test.Count(hash => Array.Exists(trainHashes, other => BitOperations.PopCount(hash ^ other) <= nearDistance));
    }

    private static void CheckNearDistance(int nearDistance)
    {
        if (nearDistance is < 0 or > PerceptualHash.Bits)
            throw new ArgumentOutOfRangeException(nameof(nearDistance), nearDistance, $"The near distance must be between 0 and {PerceptualHash.Bits}.");
    }

    // The hot loop: the delegate runs only for near pairs, which are few in a healthy dataset.
    private static void ForEachNearPair(ulong[] hashes, int nearDistance, Action<int, int> near)
    {
        for (var i = 0; i < hashes.Length; i++)
        {
            var hash = hashes[i];
            for (var j = i + 1; j < hashes.Length; j++)
                if (BitOperations.PopCount(hash ^ hashes[j]) <= nearDistance) near(i, j);
        }
    }

    private static DuplicateGroup Describe(int[] members, IReadOnlyList<HashedImage> images, ulong[] hashes)
    {
        var maxDistance = 0;
        for (var a = 0; a < members.Length; a++)
        for (var b = a + 1; b < members.Length; b++)
            maxDistance = Math.Max(maxDistance, PerceptualHash.Distance(hashes[members[a]], hashes[members[b]]));
        return new DuplicateGroup(members.Select(i => new AuditedImage(images[i].File, images[i].Class)).ToList(), maxDistance);
    }

    /// <summary>Union-find with path halving and union by size.</summary>
    private sealed class DisjointSets
    {
        private readonly int[] _parent;
        private readonly int[] _size;

        public DisjointSets(int count)
        {
            _parent = Enumerable.Range(0, count).ToArray();
            _size = Enumerable.Repeat(1, count).ToArray();
        }

        public int Find(int item)
        {
            while (_parent[item] != item)
            {
                _parent[item] = _parent[_parent[item]];
                item = _parent[item];
            }
            return item;
        }

        public void Union(int first, int second)
        {
            int a = Find(first), b = Find(second);
            if (a == b) return;
            if (_size[a] < _size[b]) (a, b) = (b, a);
            _parent[b] = a;
            _size[a] += _size[b];
        }

        /// <summary>Sets of two or more, members ascending, ordered by their smallest member (GroupBy keeps first-seen order).</summary>
        public IReadOnlyList<int[]> Groups() =>
            Enumerable.Range(0, _parent.Length)
                .GroupBy(Find)
                .Where(group => group.Count() > 1)
                .Select(group => group.ToArray())
                .ToList();
    }
}
