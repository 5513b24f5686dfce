using EmotionApi.Learning.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Bench;

/// <summary>
/// The sample dataset's PNG compression level: generated faces encoded at level 1 (what SyntheticFaces uses)
/// against ImageSharp's default level 6, timed round-robin on one thread, with the files' sizes.
/// </summary>
internal static class SamplePngEncoding
{
    private const int Faces = 16;
    private const int Width = 500;
    private const int Height = 400;

    public static void Run(BenchContext context)
    {
        var options = new SyntheticFacesOptions { Count = Faces, Width = Width, Height = Height, Seed = 3 };
        var images = SyntheticFaces.Generate(options).Select(face => Image.Load<Rgb24>(face.Png)).ToArray();
        try
        {
            PngEncoder Encoder(PngCompressionLevel level) => new() { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, CompressionLevel = level };
            var (fast, standard) = (Encoder(PngCompressionLevel.BestSpeed), Encoder(PngCompressionLevel.DefaultCompression));
            long Encode(PngEncoder encoder)
            {
                long bytes = 0;
                foreach (var image in images)
                {
                    using var stream = new MemoryStream();
                    image.SaveAsPng(stream, encoder);
                    bytes += stream.Length;
                }
                return bytes;
            }
            var (fastBytes, standardBytes) = (Encode(fast), Encode(standard));
            var timed = Timing.Compare([() => Encode(fast), () => Encode(standard)], warmup: 1, context.Runs(6));
            Console.WriteLine($"  level 1: {timed[0]} for {Faces} faces of {Width}x{Height}, {fastBytes / Faces / 1024.0:F0} KiB per face");
            Console.WriteLine($"  level 6: {timed[1]}, {standardBytes / Faces / 1024.0:F0} KiB per face");
            context.Summarise($"sample PNGs {Width}x{Height}: level 1 encodes {timed[1].MedianSeconds / timed[0].MedianSeconds:F1}x faster than level 6, " +
                              $"files {(double)fastBytes / standardBytes - 1:P0} larger");
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }
}
