using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Tests.Models;
using EmotionApi.Learning.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EmotionApi.Learning.Tests.Networks;

[Collection(TorchTrainingCollection.Name)]
public sealed class ResNet18Tests : IDisposable
{
    private static readonly ImageSize Size = new(64, 64);
    private readonly string directory = Directory.CreateTempSubdirectory("resnet18-model-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Pretrained_backbone_starts_from_the_shipped_imagenet_weights_and_the_head_from_the_seed()
    {
        torch.manual_seed(4);
        using var first = (ResNet18)NetworkCatalog.Create(NetworkCatalog.ResNet18, Size);
        torch.manual_seed(4);
        using var second = (ResNet18)NetworkCatalog.Create(NetworkCatalog.ResNet18, Size);
        using var shell = (ResNet18)NetworkCatalog.CreateForLoading(NetworkCatalog.ResNet18, Size);

        Assert.True(first.state_dict().All(entry => entry.Value.eq(second.state_dict()[entry.Key]).all().item<bool>()));
        // ImageNet's first layer, not a random draw: the shell for loading a saved model reads no pretrained file.
        Assert.False(first.Backbone.Conv1.weight.allclose(shell.Backbone.Conv1.weight));
        Assert.Equal(15_897_152 + 513, NetworkCost.TrainableParameters(first));
    }

    [Fact]
    public void Saved_model_loads_back_with_its_own_weights_not_the_pretrained_ones()
    {
        torch.manual_seed(3);
        var network = (ResNet18)NetworkCatalog.Create(NetworkCatalog.ResNet18, Size);
        // Stand-in for fine-tuning: the saved backbone must differ from the shipped one.
        using (no_grad()) network.Backbone.Conv1.weight.mul_(1.5);
        using var model = new TrainedModel(TrainedModelTests.Manifest(NetworkCatalog.ResNet18, Size), network);
        var images = TestPictures.NaturalLooking(Size.Height, 6).ToList();
        var before = model.PredictPositive(images);
        model.Save(directory);

        using var loaded = TrainedModel.Load(directory);
        torch.manual_seed(3);
        using var unchanged = new TrainedModel(TrainedModelTests.Manifest(NetworkCatalog.ResNet18, Size), NetworkCatalog.Create(NetworkCatalog.ResNet18, Size));

        Assert.Equal(before, loaded.PredictPositive(images));
        Assert.NotEqual(before, unchanged.PredictPositive(images));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(112)]
    [InlineData(224)]
    [InlineData(300)]
    public void Takes_any_side_from_32_and_gives_one_logit_and_512_features_per_image(int side)
    {
        using var network = (ResNet18)NetworkCatalog.Create(NetworkCatalog.ResNet18, new ImageSize(side, side));
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = rand(2, 3, side, side);

        Assert.Equal([2L], network.call(images).shape);
        Assert.Equal([2L, ResNet18Backbone.Features], network.Backbone.call(images).shape);
    }
}
