using System.Net.Http.Json;
using EmotionApi.Learning.Training;
using EmotionApi.RunResults;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Training;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.Tests.Training;

/// <summary>Results stored by the previous version, read by this one; and the grouping settings each preset resolves to.</summary>
public sealed class PreviousVersionResultsTests : IAsyncLifetime
{
    private readonly EmotionApiFactory factory = new() { Settings = TrainingTestKit.HostSettings(("Datasets:Audit:NearDistance", "6")) };

    // The previous version's succeeded job: 11 test images, 5 right, the naive baseline 6/11. R 4.2.2:
    // prop.test(5, 11, correct = FALSE)$conf.int = 0.2127127162245977, 0.7199084625906780;
    // binom.test(5, 11, 6/11, alternative = "greater")$p.value = 0.8181114646874901.
    [Fact]
    public async Task An_evaluation_stored_without_statistics_gains_those_its_counts_determine_and_null_for_the_rest()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Training", "PreviousVersionRecords", "succeeded-job.json"));
        var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        Directory.CreateDirectory(Path.Combine(factory.DataPath, "jobs", id));
        await File.WriteAllTextAsync(Path.Combine(factory.DataPath, "jobs", id, "job.json"), text);
        using var client = factory.CreateClient();

        var evaluation = (await client.GetFromJsonAsync<EvaluationView>($"/api/training-jobs/{id}/evaluation", TrainingTestKit.Json))!;

        Assert.Equal((11, 5.0 / 11), (evaluation.TestSize, evaluation.Accuracy));
        Assert.Equal(0.2127127162245977, evaluation.AccuracyInterval!.Lower, 12);
        Assert.Equal(0.7199084625906780, evaluation.AccuracyInterval.Upper, 12);
        Assert.Equal("wilson", evaluation.AccuracyInterval.Method);
        Assert.Equal(0.8181114646874901, evaluation.AccuracyPValue!.Value, 12);
        Assert.Null(evaluation.RocAucInterval);
        Assert.Null(evaluation.TestImagesWithNearDuplicateInTraining);
    }

    [Theory]
    [InlineData("default", null, true)]
    [InlineData("tiny", null, true)]
    [InlineData("seed-baseline", null, false)]
    [InlineData("seed-baseline", true, true)]
    [InlineData("default", false, false)]
    public async Task Each_preset_groups_duplicates_or_not_and_a_request_may_say_otherwise(string preset, bool? groupDuplicates, bool expected)
    {
        using var client = factory.CreateClient();
        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(client, count: 40, side: 16);
        var resolver = factory.Services.GetRequiredService<TrainingSettingsResolver>();

        var settings = resolver.Resolve(new TrainingJobRequest { DatasetId = datasetId, Preset = preset, GroupDuplicates = groupDuplicates, ImageHeight = 96, ImageWidth = 96 });

        Assert.Equal(expected, settings.GroupDuplicates);
        // The near distance is the service's (configured to 6 here), whatever the preset.
        Assert.Equal(6, settings.NearDuplicateDistance);
        Assert.Equal(TrainingPresets.Get(preset) with { GroupDuplicates = expected, NearDuplicateDistance = 6, ImageHeight = 96, ImageWidth = 96 }, settings);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}
