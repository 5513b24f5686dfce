using System.IO.Compression;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Tests.Training;

namespace EmotionApi.Learning.Tests.Models;

/// <summary>
/// Models saved by an earlier version keep loading: the files in SavedModels/ were written by
/// <see cref="TrainedModel.Save"/> at commit e4db183 (before issue 8 renamed and split the library), with the
/// predictions below recorded at save time (SavedModels/README.md says how they were made).
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class SavedModelCompatibilityTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("saved-model-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_compact_cnn_saved_before_issue_8_predicts_what_it_predicted_when_saved()
    {
        using var model = TrainedModel.Load(Unzip("compact-cnn-32x32.zip"));

        Assert.Equal("compact-cnn", model.Manifest.Network);
        Assert.Equal("tiny", model.Manifest.Settings.Preset);
        Assert.Equal(new ImageSize(32, 32), model.InputSize);
        Assert.Equal(0.7222468154244724, model.Manifest.TestMetrics!.Loss);
        Assert.Equal(1.0 / 3, model.Manifest.TestMetrics.RocAuc, 1e-15);
        AssertPredictions([0.38110486f, 0.38176754f, 0.38214123f, 0.38122228f, 0.3824996f, 0.38183203f], model);
    }

    [Fact]
    public void An_article_network_saved_before_issue_8_predicts_what_it_predicted_when_saved()
    {
        using var model = TrainedModel.Load(Unzip("seed-baseline-91x91.zip"));

        // The article's network and preset keep their public name in manifests.
        Assert.Equal("seed-baseline", model.Manifest.Network);
        Assert.Equal("seed-baseline", model.Manifest.Settings.Preset);
        Assert.Equal(40, model.Manifest.Settings.Augmentation.RotationDegrees);
        Assert.Equal(new ImageSize(91, 91), model.InputSize);
        Assert.Equal(0.9874376025225127, model.Manifest.TestMetrics!.Loss);
        Assert.Equal(4.0 / 9, model.Manifest.TestMetrics.RocAuc, 1e-15);
        AssertPredictions([0.18610382f, 0.16179037f, 0.20201801f, 0.1550247f, 0.14190046f, 0.19121169f], model);
    }

    private string Unzip(string name)
    {
        var target = Path.Combine(directory, Path.GetFileNameWithoutExtension(name));
        ZipFile.ExtractToDirectory(Path.Combine(AppContext.BaseDirectory, "Models", "SavedModels", name), target);
        return target;
    }

    // Tolerance for another CPU's float rounding; far below what a weight in the wrong layer changes.
    private static void AssertPredictions(float[] expected, TrainedModel model)
    {
        var actual = model.PredictPositive(Images(model.InputSize, expected.Length));
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
    }

    /// <summary>The images the predictions were recorded on: stripes from integer arithmetic, no random generator.</summary>
    private static PreparedImage[] Images(ImageSize size, int count) => Enumerable.Range(0, count).Select(n =>
    {
        var pixels = new byte[size.Height * size.Width * 3];
        for (var y = 0; y < size.Height; y++)
        for (var x = 0; x < size.Width; x++)
        for (var c = 0; c < 3; c++)
            pixels[(y * size.Width + x) * 3 + c] = (byte)((x * (3 + n) + y * (5 + 2 * n) + c * 40 + n * 17) % 256);
        return new PreparedImage(size, pixels);
    }).ToArray();
}
