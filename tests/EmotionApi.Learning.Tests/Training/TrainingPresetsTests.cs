using EmotionApi.Learning.Augmentation;
using EmotionApi.Learning.Training;

namespace EmotionApi.Learning.Tests.Training;

public sealed class TrainingPresetsTests
{
    [Fact]
    public void The_article_baseline_preset_is_the_articles_notebook_exactly()
    {
        var settings = TrainingPresets.Get("seed-baseline");

        Assert.Equal("seed-baseline", settings.Preset);
        Assert.Equal("seed-baseline", settings.Network);
        Assert.Equal((400, 500), (settings.ImageHeight, settings.ImageWidth));
        Assert.Equal(32, settings.BatchSize);
        Assert.Equal(10, settings.Epochs);
        Assert.Equal(0.001, settings.LearningRate);
        Assert.Equal(0, settings.WeightDecay);
        Assert.Equal(0.2, settings.TestFraction);
        Assert.Equal(21, settings.Seed);
        Assert.Equal(0, settings.ValidationFraction);
        Assert.Equal(0, settings.EarlyStoppingPatience);
        Assert.False(settings.ClassWeighting);
        Assert.False(settings.CosineSchedule);
        Assert.Equal(0.5, settings.Threshold);
        Assert.Equal(new AugmentationSettings
        {
            RotationDegrees = 40, WidthShift = 0.2, HeightShift = 0.2, Shear = 0.2, Zoom = 0.2, HorizontalFlip = true,
        }, settings.Augmentation);
    }

    [Fact]
    public void Default_fine_tunes_the_pretrained_network_on_a_fixed_schedule_keeping_its_batch_norm_statistics()
    {
        var settings = TrainingPresets.Get(TrainingPresets.Default);

        Assert.Equal("resnet18", settings.Network);
        // The side that keeps 1,630 images under 5 minutes on two cores (docs/model-quality.md).
        Assert.Equal((144, 144), (settings.ImageHeight, settings.ImageWidth));
        Assert.InRange(settings.WarmupEpochs, 1, settings.Epochs - 1);
        Assert.True(settings.BackboneLearningRateFactor < 1);
        Assert.True(settings.FreezeBatchNorm);
        Assert.False(settings.FreezeBackbone);
        Assert.False(settings.KeepBestEpoch);
        Assert.Equal(0, settings.EarlyStoppingPatience);
        Assert.True(settings.TestTimeFlip);
        Assert.True(settings.GroupDuplicates);
        Assert.Equal(0.2, settings.TestFraction);
    }

    [Fact]
    public void The_pretrained_presets_keep_imagenet_statistics_and_group_duplicates()
    {
        var pretrained = TrainingPresets.Get(TrainingPresets.Pretrained);
        var frozen = TrainingPresets.Get(TrainingPresets.PretrainedFrozen);

        Assert.Equal(("resnet18", "resnet18"), (pretrained.Network, frozen.Network));
        Assert.True(pretrained.FreezeBatchNorm);
        Assert.True(pretrained.ImageHeight > TrainingPresets.Get(TrainingPresets.Default).ImageHeight);
        Assert.True(frozen.FreezeBackbone);
        Assert.True(pretrained.GroupDuplicates && frozen.GroupDuplicates);
    }

    [Fact]
    public void Compact_validates_on_its_own_part_and_stops_early()
    {
        var settings = TrainingPresets.Get(TrainingPresets.Compact);

        Assert.Equal("compact-cnn", settings.Network);
        Assert.InRange(settings.ValidationFraction, 0.1, 0.3);
        Assert.True(settings.EarlyStoppingPatience > 0);
        Assert.True(settings.ClassWeighting);
        Assert.Equal(0.2, settings.TestFraction);
    }

    [Fact]
    public void Tiny_is_small_and_quick()
    {
        var settings = TrainingPresets.Get(TrainingPresets.Tiny);

        Assert.Equal((32, 32), (settings.ImageHeight, settings.ImageWidth));
        Assert.InRange(settings.Epochs, 1, 20);
        Assert.True(settings.ValidationFraction > 0);
    }

    [Fact]
    public void Names_are_case_insensitive_and_unknown_names_are_refused()
    {
        Assert.Equal(TrainingPresets.Get("tiny"), TrainingPresets.Get("TINY"));
        Assert.All(TrainingPresets.Names, name => Assert.Equal(name, TrainingPresets.Get(name).Preset));
        Assert.Contains("seed-baseline", Assert.Throws<ArgumentException>(() => TrainingPresets.Get("huge")).Message);
    }

    [Fact]
    public void Overrides_leave_the_preset_untouched()
    {
        var preset = TrainingPresets.Get(TrainingPresets.Default);
        var custom = preset with { Epochs = preset.Epochs + 1 };

        Assert.Equal(preset.Epochs + 1, custom.Epochs);
        Assert.Equal(preset.Epochs, TrainingPresets.Get(TrainingPresets.Default).Epochs);
    }
}
