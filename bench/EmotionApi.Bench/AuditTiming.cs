using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Bench;

/// <summary>
/// What the audit adds to dataset ingest (docs/dataset-audit.md): ingest checks every image with
/// ImageCodec.Validate, two at a time; with the audit it calls PerceptualHash.Fingerprint instead (the same
/// checks and decode, plus the hash), then DuplicateFinder.Audit over all hashes. Measured on 1,630 faces at
/// 640x480 (the article's count) as PNG and as JPEG, and on 20,000 images.
/// </summary>
internal static class AuditTiming
{
    private const int ArticleCount = 1630;
    private const int LargeCount = 20_000;

    public static void Run(BenchContext context)
    {
        var options = new SyntheticFacesOptions { Count = ArticleCount, Width = 640, Height = 480, Seed = 1 };
        var generated = SyntheticFaces.Generate(options).ToList();
        var png = generated.Select(image => image.Png).ToArray();
        var jpeg = new byte[png.Length][];
        Parallel.For(0, png.Length, i =>
        {
            using var image = Image.Load<Rgb24>(png[i]);
            using var stream = new MemoryStream();
            image.Save(stream, new JpegEncoder { Quality = 90 });
            jpeg[i] = stream.ToArray();
        });
        Console.WriteLine($"  {ArticleCount} synthetic faces at 640x480: PNG {png.Sum(b => (long)b.Length) / 1e6:F0} MB, JPEG (quality 90) {jpeg.Sum(b => (long)b.Length) / 1e6:F0} MB");

        ulong[] hashes = [];
        foreach (var (name, files) in new[] { ("PNG", png), ("JPEG", jpeg) })
        {
            var (validate, fingerprint) = PerImage(files.Take(context.Options.Quick ? 60 : 200).ToArray(), rounds: context.Runs(4));
            var added = (fingerprint - validate) * ArticleCount / Environment.ProcessorCount;
            Console.WriteLine($"  {name}, one image at a time, the two alternating: Validate {validate * 1e3:F2} ms, Fingerprint {fingerprint * 1e3:F2} ms " +
                              $"(best rounds): {Timed.Format(added)} added to {ArticleCount} images on {Environment.ProcessorCount} cores");
            var timed = Timing.Compare(
            [
                () => Ingest(files, files.Length, encoded => ImageCodec.Validate(encoded, ImageLimits.Default)),
                () => Ingest(files, files.Length, encoded => PerceptualHash.Fingerprint(encoded, ImageLimits.Default)),
            ], warmup: 1, runs: context.Runs(3));
            Console.WriteLine($"  {name}: Validate (ingest today) {timed[0]}; Fingerprint (Validate + hash) {timed[1]}; " +
                              $"added {Timed.Format(timed[1].MedianSeconds - timed[0].MedianSeconds)} (best-to-best {Timed.Format(timed[1].BestSeconds - timed[0].BestSeconds)})");
            hashes = files.Select(encoded => PerceptualHash.Compute(encoded, ImageLimits.Default)).ToArray();
        }

        var images = hashes.Select((hash, i) => new HashedImage(generated[i].FileName, generated[i].Label, hash)).ToList();
        var audit = DuplicateFinder.Audit(images);
        var grouping = Timing.Measure(() => DuplicateFinder.Audit(images), warmup: 1, runs: context.Runs(9));
        Console.WriteLine($"  audit of {ArticleCount} hashes (near distance {DuplicateFinder.DefaultNearDistance}): {grouping}; " + Describe(audit));

        if (!context.Options.Quick)
        {
            var hashing = Timing.Measure(() => Ingest(jpeg, LargeCount, encoded => PerceptualHash.Fingerprint(encoded, ImageLimits.Default)), warmup: 0, runs: 1);
            var validating = Timing.Measure(() => Ingest(jpeg, LargeCount, encoded => ImageCodec.Validate(encoded, ImageLimits.Default)), warmup: 0, runs: 1);
            Console.WriteLine($"  {LargeCount} JPEG ingests (the {ArticleCount} faces cycled): Validate {validating}; Fingerprint {hashing}");
        }

        // Grouping cost depends on the count and on how many pairs are near: faces are the dense case.
        var large = new HashedImage[LargeCount];
        var small = new SyntheticFacesOptions { Count = LargeCount, Width = 96, Height = 96, Seed = 2 };
        Parallel.For(0, LargeCount, i =>
        {
            var label = i % 2 == 0 ? EmotionClass.Positive : EmotionClass.Negative;
            var face = SyntheticFaces.Draw(small, label, i / 2 + 1);
            large[i] = new HashedImage(face.FileName, label, PerceptualHash.Compute(face.Png, ImageLimits.Default));
        });
        var largeAudit = DuplicateFinder.Audit(large);
        var largeGrouping = Timing.Measure(() => DuplicateFinder.Audit(large), warmup: 1, runs: context.Runs(5));
        Console.WriteLine($"  audit of {LargeCount} hashes (faces at 96x96): {largeGrouping}; " + Describe(largeAudit));

        context.Summarise($"audit-time: grouping {ArticleCount} hashes {Timed.Format(grouping.MedianSeconds)}, {LargeCount} hashes {Timed.Format(largeGrouping.MedianSeconds)}");
    }

    /// <summary>
    /// Seconds per image of Validate and of Fingerprint, each image checked by both in turn, so a burst of
    /// load from other work on the machine hits both alike; the best of the rounds.
    /// </summary>
    private static (double Validate, double Fingerprint) PerImage(byte[][] files, int rounds)
    {
        var best = new[] { double.MaxValue, double.MaxValue };
        var clock = new System.Diagnostics.Stopwatch();
        for (var round = 0; round <= rounds; round++) // round 0 warms up
        {
            var seconds = new double[2];
            foreach (var encoded in files)
            {
                clock.Restart();
                ImageCodec.Validate(encoded, ImageLimits.Default);
                seconds[0] += clock.Elapsed.TotalSeconds;
                clock.Restart();
                PerceptualHash.Fingerprint(encoded, ImageLimits.Default);
                seconds[1] += clock.Elapsed.TotalSeconds;
            }
            if (round == 0) continue;
            for (var k = 0; k < 2; k++) best[k] = Math.Min(best[k], seconds[k] / files.Length);
        }
        return (best[0], best[1]);
    }

    /// <summary>As DatasetStore adds images: Parallel.ForEach over the processors.</summary>
    private static void Ingest(byte[][] files, int count, Action<byte[]> check) =>
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => check(files[i % files.Length]));

    private static string Describe(DatasetAudit audit)
    {
        var largest = audit.Duplicates.Concat(audit.LabelConflicts).Select(group => group.Images.Count).DefaultIfEmpty(0).Max();
        return $"found {audit.Duplicates.Count} duplicate groups ({audit.Duplicates.Sum(g => g.Images.Count)} images) and " +
               $"{audit.LabelConflicts.Count} label conflicts ({audit.LabelConflicts.Sum(g => g.Images.Count)} images), largest group {largest}";
    }
}
