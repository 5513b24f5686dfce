using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

public sealed class TrainingSettingsValidatorTests
{
    // A network trained from scratch: the fine-tuning fields are refused for it.
    private static readonly TrainingSettings Valid = TrainingPresets.Get(TrainingPresets.Compact);

    [Fact]
    public void Every_preset_is_valid()
    {
        Assert.All(TrainingPresets.Names, name => Assert.Empty(TrainingSettingsValidator.Validate(TrainingPresets.Get(name))));
    }

    public static TheoryData<string, Func<TrainingSettings, TrainingSettings>> BadFields => new()
    {
        { "network", s => s with { Network = "resnet-9000" } },
        { "network", s => s with { Network = "" } },
        { "imageHeight", s => s with { ImageHeight = NetworkCatalog.SupportedSide(s.Network).Max + 1 } },
        { "imageHeight", s => s with { ImageHeight = NetworkCatalog.SupportedSide(s.Network).Min - 1 } },
        { "imageWidth", s => s with { ImageWidth = 0 } },
        { "batchSize", s => s with { BatchSize = 0 } },
        { "batchSize", s => s with { BatchSize = 513 } },
        { "epochs", s => s with { Epochs = 0 } },
        { "epochs", s => s with { Epochs = 1001 } },
        { "learningRate", s => s with { LearningRate = 0 } },
        { "learningRate", s => s with { LearningRate = 1.5 } },
        { "learningRate", s => s with { LearningRate = double.NaN } },
        { "weightDecay", s => s with { WeightDecay = -0.1 } },
        { "testFraction", s => s with { TestFraction = 0 } },
        { "testFraction", s => s with { TestFraction = 0.95 } },
        { "validationFraction", s => s with { ValidationFraction = -0.1 } },
        { "validationFraction", s => s with { ValidationFraction = 0.6 } },
        { "earlyStoppingPatience", s => s with { EarlyStoppingPatience = -1 } },
        { "earlyStoppingPatience", s => s with { EarlyStoppingPatience = 3, ValidationFraction = 0 } },
        { "threshold", s => s with { Threshold = 1 } },
        { "augmentation.rotationDegrees", s => s with { Augmentation = s.Augmentation with { RotationDegrees = 181 } } },
        { "augmentation.rotationDegrees", s => s with { Augmentation = s.Augmentation with { RotationDegrees = -1 } } },
        { "augmentation.widthShift", s => s with { Augmentation = s.Augmentation with { WidthShift = 1.2 } } },
        { "augmentation.heightShift", s => s with { Augmentation = s.Augmentation with { HeightShift = -0.2 } } },
        { "augmentation.zoom", s => s with { Augmentation = s.Augmentation with { Zoom = 0.95 } } },
        { "augmentation.shear", s => s with { Augmentation = s.Augmentation with { Shear = 46 } } },
        { "emaDecay", s => s with { EmaDecay = 1 } },
        { "emaDecay", s => s with { EmaDecay = -0.5 } },
        { "labelSmoothing", s => s with { LabelSmoothing = 0.5 } },
        { "mixup", s => s with { Mixup = -1 } },
        { "mixup", s => s with { Mixup = double.NaN } },
        { "warmupEpochs", s => s with { WarmupEpochs = -1 } },
        // Networks trained from scratch have no backbone to freeze, slow down or keep statistics of.
        { "warmupEpochs", s => s with { WarmupEpochs = 1 } },
        { "backboneLearningRateFactor", s => s with { BackboneLearningRateFactor = 0.1 } },
        { "backboneLearningRateFactor", s => s with { BackboneLearningRateFactor = 0 } },
        { "freezeBackbone", s => s with { FreezeBackbone = true } },
        { "freezeBatchNorm", s => s with { FreezeBatchNorm = true } },
    };

    public static TheoryData<string, Func<TrainingSettings, TrainingSettings>> BadFineTuning => new()
    {
        { "warmupEpochs", s => s with { WarmupEpochs = s.Epochs + 1 } },
        { "backboneLearningRateFactor", s => s with { BackboneLearningRateFactor = 1.5 } },
        // Features computed once cannot be rotated or shifted epoch after epoch; the mirror image is computed too.
        { "freezeBackbone", s => s with { FreezeBackbone = true, WarmupEpochs = 0, Augmentation = s.Augmentation with { RotationDegrees = 10 } } },
        { "warmupEpochs", s => s with { FreezeBackbone = true, WarmupEpochs = 1, Augmentation = new() { HorizontalFlip = true } } },
    };

    [Theory]
    [MemberData(nameof(BadFineTuning))]
    public void A_bad_fine_tuning_field_of_a_pretrained_network_is_reported_alone(string field, Func<TrainingSettings, TrainingSettings> spoil)
    {
        var errors = TrainingSettingsValidator.Validate(spoil(TrainingPresets.Get(TrainingPresets.Pretrained)));

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void The_messages_for_a_network_without_a_backbone_name_the_pretrained_ones()
    {
        var errors = TrainingSettingsValidator.Validate(Valid with { FreezeBackbone = true });

        Assert.Contains("compact-cnn", errors["freezeBackbone"][0]);
        Assert.Contains("resnet18", errors["freezeBackbone"][0]);
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public void A_bad_field_is_reported_under_its_camel_case_name_alone(string field, Func<TrainingSettings, TrainingSettings> spoil)
    {
        var errors = TrainingSettingsValidator.Validate(spoil(Valid));

        Assert.Equal([field], errors.Keys);
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void Edges_of_the_ranges_are_valid()
    {
        var edges = Valid with
        {
            BatchSize = 512, Epochs = 1000, LearningRate = 1, TestFraction = 0.9, ValidationFraction = 0.5,
            ImageHeight = NetworkCatalog.SupportedSide(Valid.Network).Min, ImageWidth = NetworkCatalog.SupportedSide(Valid.Network).Max,
            Augmentation = new() { RotationDegrees = 180, WidthShift = 1, HeightShift = 1, Zoom = 0.9, Shear = 45 },
        };

        Assert.Empty(TrainingSettingsValidator.Validate(edges));
    }

    [Fact]
    public void Every_bad_field_is_listed_at_once()
    {
        var errors = TrainingSettingsValidator.Validate(Valid with { BatchSize = 0, Epochs = 0, TestFraction = 2 });

        Assert.Equal(["batchSize", "epochs", "testFraction"], errors.Keys.Order());
    }

    [Fact]
    public void EnsureValid_names_the_fields_in_its_message()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingSettingsValidator.EnsureValid(Valid with { BatchSize = 0, Epochs = 0 }));

        Assert.Contains("batchSize", error.Message);
        Assert.Contains("epochs", error.Message);
    }
}
