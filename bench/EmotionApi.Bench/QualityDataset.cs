using System.Globalization;
using EmotionApi.Learning.Data;

namespace EmotionApi.Bench;

/// <summary>
/// The model-quality benchmark's faces (<see cref="StyledFaces"/>): a training set in two styles with 7% of its
/// labels flipped, which goes through the training pipeline as a user's dataset would (its own test split included);
/// two validation styles that tuning may look at; two test styles that only the final table scores. Written once
/// as files with an index, read by every child run.
/// </summary>
internal static class QualityDataset
{
    public const string Training = "training";
    public const string Validation = "validation";
    public const string Test = "test";

    public static IReadOnlyList<FaceStyle> TrainingStyles { get; } = [FaceStyle.Flat, FaceStyle.LineArt];
    public static IReadOnlyList<FaceStyle> ValidationStyles { get; } = [FaceStyle.Shaded, FaceStyle.Sketch];
    public static IReadOnlyList<FaceStyle> TestStyles { get; } = [FaceStyle.Emoji, FaceStyle.Neon];

    public const double LabelNoise = 0.07;
    public const int HeldOutPerStyle = 150;
    public const int Side = 192;
    private const string IndexFile = "index.tsv";

    /// <summary>One image of the set: its part, style, the label it carries and the class it shows.</summary>
    public sealed record Entry(string Part, string Id, FaceStyle Style, EmotionClass Label, EmotionClass Drawn, string Path);

    /// <summary>Generates the set into <paramref name="directory"/>: <paramref name="trainingImages"/> over the training styles; the test styles unless tuning.</summary>
    public static void Write(string directory, int trainingImages, int seed, bool tuning)
    {
        var entries = new List<Entry>();
        void Part(string part, IReadOnlyList<FaceStyle> styles, int perStyle, double labelNoise)
        {
            var folder = Directory.CreateDirectory(System.IO.Path.Combine(directory, part)).FullName;
            var options = new StyledFacesOptions
            {
                Styles = styles, CountPerStyle = perStyle, Seed = seed, Width = Side, Height = Side, LabelNoise = labelNoise,
            };
            foreach (var face in StyledFaces.Generate(options))
            {
                var path = System.IO.Path.Combine(folder, face.FileName);
                File.WriteAllBytes(path, face.Bytes);
                entries.Add(new Entry(part, $"{part}/{face.FileName}", face.Style, face.Label, face.Drawn, path));
            }
        }

        Part(Training, TrainingStyles, (trainingImages + TrainingStyles.Count - 1) / TrainingStyles.Count, LabelNoise);
        Part(Validation, ValidationStyles, HeldOutPerStyle, 0);
        if (!tuning) Part(Test, TestStyles, HeldOutPerStyle, 0);
        File.WriteAllLines(System.IO.Path.Combine(directory, IndexFile), entries.Select(entry =>
            string.Join('\t', entry.Part, entry.Id, entry.Style, entry.Label, entry.Drawn, entry.Path)));
    }

    public static IReadOnlyList<Entry> Read(string directory) =>
        File.ReadLines(System.IO.Path.Combine(directory, IndexFile)).Select(line =>
        {
            var fields = line.Split('\t');
            return new Entry(fields[0], fields[1], Enum.Parse<FaceStyle>(fields[2]), Enum.Parse<EmotionClass>(fields[3]), Enum.Parse<EmotionClass>(fields[4]), fields[5]);
        }).ToList();

    public static string Describe(int trainingImages, bool tuning)
    {
        var test = tuning ? "; test styles not generated (tuning)" : $"; test: {HeldOutPerStyle} per style of {string.Join(" and ", TestStyles)}";
        return $"training: {trainingImages} images, styles {string.Join(" and ", TrainingStyles)}, {(LabelNoise * 100).ToString("F0", CultureInfo.InvariantCulture)}% of labels flipped; " +
               $"validation: {HeldOutPerStyle} per style of {string.Join(" and ", ValidationStyles)}{test}; {Side}x{Side}, PNG or JPEG";
    }
}
