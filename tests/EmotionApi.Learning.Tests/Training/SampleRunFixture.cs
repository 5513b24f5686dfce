using EmotionApi.Learning.Data;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

/// <summary>The sample dataset on disk, and one uninterrupted tiny-preset run that several tests compare against.</summary>
public sealed class SampleRunFixture : IDisposable
{
    public const int ImageCount = 240;

    public SampleRunFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("training-pipeline-").FullName;
        var imageFolder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "images")).FullName;
        Images = SyntheticFaces.Generate(new SyntheticFacesOptions { Count = ImageCount, Seed = 4 })
            .Select(image =>
            {
                var path = Path.Combine(imageFolder, image.FileName.Replace('/', '_'));
                File.WriteAllBytes(path, image.Png);
                return new DatasetImage(image.FileName, image.Label, path);
            })
            .ToArray();
        Observer = new RecordingObserver();
        Outcome = new TrainingPipeline().Run(Images, Settings, Observer);
    }

    public static TrainingSettings Settings { get; } = TrainingPresets.Get(TrainingPresets.Tiny);

    public string Directory { get; }
    public IReadOnlyList<DatasetImage> Images { get; }
    public RecordingObserver Observer { get; }
    public TrainingOutcome Outcome { get; }

    public void Dispose()
    {
        Outcome.Model.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
