using System.Net.Http.Json;
using EmotionApi.Models;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Models;

/// <summary>
/// A host of its own for the threshold tests, which change models: two tiny models of one dataset, one with the preset's
/// validation part and one trained without (the article's way). Tests name the model they use.
/// </summary>
public sealed class ThresholdServiceFixture : IAsyncLifetime
{
    public EmotionApiFactory Factory { get; } = new() { Settings = TrainingTestKit.HostSettings() };
    public HttpClient Client { get; private set; } = null!;
    public string DatasetId { get; private set; } = "";
    public string ModelId { get; private set; } = "";
    public string WithoutValidationModelId { get; private set; } = "";
    /// <summary>The two models as they were registered, before any test changed their thresholds.</summary>
    public (ModelDetails Model, ModelDetails WithoutValidation) AsRegistered { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Client = Factory.CreateClient();
        DatasetId = await TrainingTestKit.CreateSampleDatasetAsync(Client, count: 240);
        ModelId = (await TrainingTestKit.TrainToSuccessAsync(Client, new { datasetId = DatasetId, preset = "tiny", epochs = 8 })).ModelId!;
        WithoutValidationModelId = (await TrainingTestKit.TrainToSuccessAsync(Client,
            new { datasetId = DatasetId, preset = "tiny", epochs = 2, validationFraction = 0 })).ModelId!;
        AsRegistered = (await Details(ModelId), await Details(WithoutValidationModelId));
    }

    private async Task<ModelDetails> Details(string id) =>
        (await Client.GetFromJsonAsync<ModelDetails>($"/api/models/{id}", TrainingTestKit.Json))!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
