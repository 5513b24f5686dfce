using System.IO.Compression;
using EmotionApi.Learning.Data;
using EmotionApi.Tests.Security;
using EmotionApi.Tests.Training;
using Api = EmotionApi.Client;

namespace EmotionApi.Tests.OpenApi;

/// <summary>
/// The typed client generated from the OpenAPI document (src/EmotionApi.Client, NSwag) against a service that asks for
/// keys: upload, train the tiny preset, read the evaluation, predict. This file compiles with nullable warnings as errors:
/// the client's types say what is always there (no '!' below on anything the document calls required and non-null).
/// </summary>
[Collection(SecuredServiceCollection.Name)]
public class GeneratedClientTests(SecuredServiceFixture service)
{
    [Fact]
    public async Task The_generated_client_uploads_trains_tiny_reads_the_evaluation_and_predicts_with_a_key()
    {
        using var http = service.As("client", bearer: true);
        var api = new Api.EmotionApiClient(http);
        var faces = SyntheticFaces.Generate(new SyntheticFacesOptions { Count = 300, Seed = 1, Width = 48, Height = 48 }).ToList();

        Api.DatasetSummary dataset = await api.UploadDatasetAsync(new Api.FileParameter(new MemoryStream(Zip(faces)), "faces.zip", "application/zip"), "faces");
        Assert.Equal((300, "faces", 0), (dataset.ImageCount, dataset.Name, dataset.SkippedCount));

        var job = await api.QueueTrainingJobAsync(new Api.TrainingJobRequest { DatasetId = dataset.Id, Preset = "tiny" });
        Assert.Equal(("client", "tiny"), (job.CreatedBy, job.Settings.Preset));
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (job.State is Api.TrainingJobState.Queued or Api.TrainingJobState.Running && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            job = await api.GetTrainingJobAsync(job.Id);
        }
        Assert.True(job.State == Api.TrainingJobState.Succeeded, $"The job ended {job.State}: {job.Error}");
        var modelId = job.ModelId ?? throw new Xunit.Sdk.XunitException("A succeeded job names its model");

        var evaluation = await api.GetTrainingJobEvaluationAsync(job.Id);
        var roc = await api.GetTrainingJobRocAsync(job.Id);
        Assert.True(evaluation.Accuracy > evaluation.NaiveBaselineAccuracy, $"Accuracy {evaluation.Accuracy} vs baseline {evaluation.NaiveBaselineAccuracy}");
        Assert.True(roc.Auc >= 0.8, $"AUC {roc.Auc}");
        Assert.True(double.IsPositiveInfinity(roc.Points.First().Threshold));
        Assert.Equal(evaluation.ConfusionMatrix.Counts.Sum(row => row.Sum()), evaluation.TestSize);

        var unseen = TrainingTestKit.UnseenFaces(12);
        var prediction = await api.PredictAsync(modelId, unseen.Select(face => new Api.FileParameter(new MemoryStream(face.Png), face.FileName, "image/png")));
        Assert.Equal(modelId, prediction.ModelId);
        Assert.Equal(unseen.Select(face => face.FileName), prediction.Results.Select(result => result.FileName));
        Assert.All(prediction.Results, result => Assert.Equal(1.0, (result.Positive ?? 0) + (result.Negative ?? 0), 6));
        var correct = unseen.Zip(prediction.Results).Count(pair => string.Equals(pair.Second.Label, pair.First.Label.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.True(correct >= 9, $"{correct} of 12 unseen faces labelled right");

        // A refusal arrives as the client's exception carrying the problem.
        var refused = await Assert.ThrowsAsync<Api.EmotionApiException<Api.ProblemDetails>>(() => api.DeleteModelAsync(modelId));
        Assert.Equal((403, "Role required"), (refused.StatusCode, refused.Result.Title));
    }

    private static byte[] Zip(IEnumerable<GeneratedImage> faces)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var face in faces)
            {
                using var entry = zip.CreateEntry($"{face.Label}/{face.FileName}", CompressionLevel.Fastest).Open();
                entry.Write(face.Png);
            }
        return buffer.ToArray();
    }
}
