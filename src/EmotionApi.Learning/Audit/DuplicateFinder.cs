using System.Numerics;
using EmotionApi.Learning.Data;

namespace EmotionApi.Learning.Audit;

/// <summary>
/// Finds exact and near duplicates among perceptual hashes: two images are near when their
/// <see cref="PerceptualHash.Distance"/> is at most the near distance, and groups are the connected
/// pieces of that relation (a chain a~b~c is one group). Within a class they are duplicates; a group
/// holding both classes is a label conflict.
/// </summary>
/// <remarks>
/// Every pair is compared (one XOR and one popcount on 64-bit hashes, no allocation), on every core: at
/// 20,000 images that is 2 x 10^8 pairs (docs/dataset-audit.md has the time). Multi-index hashing or a
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
        var classes = images.Select(image => image.Class).ToArray();
        var (anyClass, sameClass) = Link(hashes, nearDistance, classes);

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
        return Link(hashes.ToArray(), nearDistance, classes: null).AnyClass.Groups();
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

    /// <summary>
    /// Unions every near pair: into <c>AnyClass</c>, and into <c>SameClass</c> when both images have one
    /// class (only when <paramref name="classes"/> is given). Each core scans every k-th row into sets of
    /// its own; their sets are merged at the end, so memory stays O(n) however many pairs are near.
    /// </summary>
    private static (DisjointSets AnyClass, DisjointSets SameClass) Link(ulong[] hashes, int nearDistance, EmotionClass[]? classes)
    {
        var count = hashes.Length;
        var workers = Math.Clamp(count / 1024, 1, Environment.ProcessorCount);
        var parts = new (DisjointSets AnyClass, DisjointSets SameClass)[workers];
        Parallel.For(0, workers, worker =>
        {
            var anyClass = new DisjointSets(count);
            var sameClass = new DisjointSets(classes is null ? 0 : count);
            for (var i = worker; i < count; i += workers)
            {
                var hash = hashes[i];
                for (var j = i + 1; j < count; j++)
                {
                    if (BitOperations.PopCount(hash ^ hashes[j]) > nearDistance) continue;
                    anyClass.Union(i, j);
                    if (classes is not null && classes[i] == classes[j]) sameClass.Union(i, j);
                }
            }
            parts[worker] = (anyClass, sameClass);
        });

        var merged = parts[0];
        foreach (var part in parts.Skip(1))
        {
            merged.AnyClass.Absorb(part.AnyClass);
            merged.SameClass.Absorb(part.SameClass);
        }
        return merged;
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

        /// <summary>Joins every set of <paramref name="other"/> (over the same items) into these sets.</summary>
        public void Absorb(DisjointSets other)
        {
            for (var item = 0; item < other._parent.Length; item++) Union(item, other.Find(item));
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
