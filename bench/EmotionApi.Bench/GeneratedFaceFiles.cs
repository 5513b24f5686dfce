using EmotionApi.Learning.Data;

namespace EmotionApi.Bench;

/// <summary>Generated sample faces written as PNG files into a folder, as a dataset's images: what a run reads.</summary>
internal static class GeneratedFaceFiles
{
    public static List<DatasetImage> Write(string folder, SyntheticFacesOptions options)
    {
        var images = new List<DatasetImage>(options.Count);
        foreach (var face in SyntheticFaces.Generate(options))
        {
            var path = Path.Combine(folder, face.FileName);
            File.WriteAllBytes(path, face.Png);
            images.Add(new DatasetImage(face.FileName, face.Label, path));
        }
        return images;
    }
}
