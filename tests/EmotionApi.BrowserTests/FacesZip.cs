using System.IO.Compression;
using EmotionApi.Learning.Data;

namespace EmotionApi.BrowserTests;

/// <summary>Sample faces as a user would upload them: a zip in the article's layout, and loose pictures to classify.</summary>
internal static class FacesZip
{
    public static byte[] ArticleLayout(int count, int seed, int side)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var face in Faces(count, seed, side))
            {
                var entry = zip.CreateEntry($"dataset 50:50/{face.Label}/{face.FileName}", CompressionLevel.Fastest);
                using var stream = entry.Open();
                stream.Write(face.Png);
            }
        }
        return buffer.ToArray();
    }

    public static IReadOnlyList<GeneratedImage> Faces(int count, int seed, int side) =>
        SyntheticFaces.Generate(new SyntheticFacesOptions { Count = count, Seed = seed, Width = side, Height = side }).ToList();
}
