using System.Net;
using System.Net.Http.Json;
using EmotionApi.Learning.Data;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using EmotionApi.RunResults;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Training;

namespace EmotionApi.Tests.Training;

[Collection(TrainedServiceCollection.Name)]
public class PresetsAndSplitTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task Presets_lists_every_preset_with_the_settings_a_job_gets_and_every_network_with_its_sides()
    {
        var catalog = (await Client.GetFromJsonAsync<PresetCatalogView>("/api/presets", TrainingTestKit.Json))!;

        Assert.Equal(TrainingPresets.Default, catalog.DefaultPreset);
        Assert.Equal(TrainingPresets.Names, catalog.Presets.Select(preset => preset.Name));
        Assert.All(catalog.Presets, preset => Assert.Equal(TrainingPresets.Get(preset.Name), preset.Settings));
        Assert.Equal(NetworkCatalog.Names, catalog.Networks.Select(network => network.Name));
        Assert.Contains(new NetworkView(NetworkCatalog.CompactCnn, CompactCnn.MinSide, CompactCnn.MaxSide), catalog.Networks);
        // What the page's training form offers is what a job accepts: the tiny preset's settings, as queued, come back unchanged.
        var tiny = catalog.Presets.Single(preset => preset.Name == TrainingPresets.Tiny);
        Assert.Equal(tiny.Settings, service.Job.Settings);
    }

    [Fact]
    public async Task Split_counts_add_up_to_the_dataset_and_its_test_part_is_what_the_evaluation_counted()
    {
        var split = (await Client.GetFromJsonAsync<SplitView>($"/api/training-jobs/{service.Job.Id}/split", TrainingTestKit.Json))!;
        var evaluation = (await Client.GetFromJsonAsync<EvaluationView>($"/api/training-jobs/{service.Job.Id}/evaluation", TrainingTestKit.Json))!;
        var counts = await TrainingTestKit.ClassCountsAsync(Client, service.DatasetId);

        Assert.Equal(counts.Values.Sum(), split.Train + split.Validation + split.Test);
        Assert.Equal(evaluation.TestSize, split.Test);
        Assert.NotNull(split.Classes);
        foreach (var part in split.Classes!)
        {
            // The article's split: floor(n x 0.2) of each class to test, then 15% of the rest (floored) to validation.
            var n = counts[part.Class];
            var test = (int)Math.Floor(n * 0.2);
            Assert.Equal(test, part.Test);
            Assert.Equal((int)Math.Floor((n - test) * 0.15), part.Validation);
            Assert.Equal(n - test - part.Validation, part.Train);
            var row = part.Class == EmotionClass.Negative ? 0 : 1;
            Assert.Equal(evaluation.ConfusionMatrix.Counts[row].Sum(), part.Test);
        }
    }

    [Fact]
    public async Task Split_of_an_unknown_job_is_404()
    {
        await (await Client.GetAsync("/api/training-jobs/0123456789abcdef0123456789abcdef/split")).AssertProblemAsync(HttpStatusCode.NotFound, "Training job not found");
    }
}
