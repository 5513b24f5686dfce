using System.Globalization;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Bench;

/// <summary>
/// Chooses the audit's near distance (docs/dataset-audit.md): for each hash distance, the share of copies
/// (resized, recompressed, cropped, brightened, and all four at once) within it of their original, against
/// the share of pairs of distinct pictures within it, for the DCT hash the service uses and the difference
/// hash it was measured against. Two sets of distinct pictures: synthetic faces (alike by design: one face
/// layout, centred) and varied generated pictures.
/// </summary>
internal static class HashDistanceSweep
{
    private const int Width = 640;
    private const int Height = 480;
    private const int LargestDistance = 20;
    private const int DatasetSize = 1630;

    private static readonly (int Width, int Height)[] VariedSizes = [(640, 480), (500, 400), (800, 600), (480, 640), (1024, 768)];

    private static readonly (string Name, Func<byte[], ulong> Hash)[] Hashes =
    [
        ("DCT hash (PerceptualHash, the service's)", encoded => PerceptualHash.Compute(encoded, ImageLimits.Default)),
        ("difference hash (dHash)", encoded => DifferenceHash.Compute(encoded)),
    ];

    public static void Run(BenchContext context)
    {
        var count = context.Options.Images ?? (context.Options.Quick ? 100 : 300);
        Console.WriteLine($"  {count} synthetic faces at {Width}x{Height} and {count} varied pictures ({string.Join(", ", VariedSizes.Select(s => $"{s.Width}x{s.Height}"))}),");
        Console.WriteLine($"  each with one copy of every kind: {string.Join(", ", PictureCopies.Kinds)}");

        var faces = Measure(count, index =>
        {
            var options = new SyntheticFacesOptions { Width = Width, Height = Height, Seed = 7, Count = count };
            var png = SyntheticFaces.Draw(options, index % 2 == 0 ? EmotionClass.Positive : EmotionClass.Negative, index / 2 + 1).Png;
            return Image.Load<Rgb24>(png);
        });
        var varied = Measure(count, index =>
        {
            var (width, height) = VariedSizes[index % VariedSizes.Length];
            return VariedPictures.Draw(1000 + index, width, height);
        });

        for (var h = 0; h < Hashes.Length; h++)
        {
            Console.WriteLine();
            Console.WriteLine($"### {Hashes[h].Name}");
            Console.WriteLine();
            Console.WriteLine("| distance | copies matched | " + string.Join(" | ", PictureCopies.Kinds) +
                              " | face pairs matched | varied pairs matched | face-varied pairs | false pairs in 1,630 faces | in 1,630 varied |");
            Console.WriteLine("| ---: | ---: | " + string.Join(" | ", PictureCopies.Kinds.Select(_ => "---:")) + " | ---: | ---: | ---: | ---: | ---: |");
            for (var distance = 0; distance <= LargestDistance; distance++)
            {
                var copies = faces.Concat(varied).SelectMany(picture => picture.CopyDistances[h]).ToList();
                var perKind = PictureCopies.Kinds.Select((_, k) =>
                    Share(faces.Concat(varied).Count(picture => picture.CopyDistances[h][k] <= distance), faces.Count + varied.Count));
                var faceRate = PairRate(faces, faces, h, distance);
                var variedRate = PairRate(varied, varied, h, distance);
                var mixedRate = PairRate(faces, varied, h, distance);
                var datasetPairs = DatasetSize * (DatasetSize - 1) / 2.0;
                Console.WriteLine($"| {distance} | {Share(copies.Count(d => d <= distance), copies.Count)} | {string.Join(" | ", perKind)} | " +
                                  $"{Percent(faceRate)} | {Percent(variedRate)} | {Percent(mixedRate)} | " +
                                  $"{(faceRate * datasetPairs).ToString("F1", CultureInfo.InvariantCulture)} | {(variedRate * datasetPairs).ToString("F1", CultureInfo.InvariantCulture)} |");
            }
        }
        context.Summarise($"hash-distance: {count} faces + {count} varied pictures, {PictureCopies.Kinds.Count} copies each (tables above)");
    }

    private sealed record Picture(ulong[] Hashes, int[][] CopyDistances);

    private static List<Picture> Measure(int count, Func<int, Image<Rgb24>> draw)
    {
        var pictures = new Picture[count];
        Parallel.For(0, count, index =>
        {
            using var original = draw(index);
            using var stream = new MemoryStream();
            original.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });
            var encoded = stream.ToArray();
            var hashes = Hashes.Select(hash => hash.Hash(encoded)).ToArray();
            var random = new Random(count * 31 + index);
            var copies = PictureCopies.Kinds.Select(kind => PictureCopies.Make(original, kind, random)).ToList();
            var distances = Hashes.Select((hash, h) => copies.Select(copy => PerceptualHash.Distance(hashes[h], hash.Hash(copy))).ToArray()).ToArray();
            pictures[index] = new Picture(hashes, distances);
        });
        return pictures.ToList();
    }

    /// <summary>Share of distinct pairs (one from each list; unordered within one list) within the distance.</summary>
    private static double PairRate(List<Picture> first, List<Picture> second, int h, int distance)
    {
        long near = 0, pairs = 0;
        var same = ReferenceEquals(first, second);
        for (var i = 0; i < first.Count; i++)
        for (var j = same ? i + 1 : 0; j < second.Count; j++)
        {
            pairs++;
            if (PerceptualHash.Distance(first[i].Hashes[h], second[j].Hashes[h]) <= distance) near++;
        }
        return (double)near / pairs;
    }

    private static string Share(int part, int whole) => Percent((double)part / whole);

    private static string Percent(double share) => share switch
    {
        0 => "0",
        < 0.001 => (share * 100).ToString("F3", CultureInfo.InvariantCulture) + " %",
        _ => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + " %",
    };
}
