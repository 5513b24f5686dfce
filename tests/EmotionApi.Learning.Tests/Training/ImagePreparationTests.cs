using EmotionApi.Learning.Data;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

public sealed class ImagePreparationTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("image-preparation-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_file_gone_since_upload_fails_the_run_naming_the_image_but_not_the_servers_path()
    {
        var face = SyntheticFaces.Generate(new SyntheticFacesOptions { Count = 2, Seed = 1, Width = 24, Height = 20 }).First();
        var present = Path.Combine(root, "present.png");
        File.WriteAllBytes(present, face.Png);
        DatasetImage[] images = [new("Positive/a.png", EmotionClass.Positive, present), new("Negative/b.png", EmotionClass.Negative, Path.Combine(root, "gone.png"))];

        var error = Assert.Throws<TrainingDataException>(() =>
            ImagePreparation.PrepareEach(images, new ImageSize(10, 12), ImageLimits.Default, (_, _, _) => { }, CancellationToken.None));

        // A job's error is shown to API clients.
        Assert.Equal("Image 'Negative/b.png' cannot be prepared for training: the file is missing.", error.Message);
    }

    [Fact]
    public void A_file_that_no_longer_decodes_fails_the_run_with_the_codecs_reason()
    {
        var broken = Path.Combine(root, "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        var error = Assert.Throws<TrainingDataException>(() => ImagePreparation.PrepareEach(
            [new DatasetImage("Positive/broken.png", EmotionClass.Positive, broken)], new ImageSize(10, 12), ImageLimits.Default,
            (_, _, _) => { }, CancellationToken.None));

        Assert.StartsWith("Image 'Positive/broken.png' cannot be prepared for training: ", error.Message);
        Assert.DoesNotContain(root, error.Message);
        Assert.IsType<ImageRejectedException>(error.InnerException);
    }
}
