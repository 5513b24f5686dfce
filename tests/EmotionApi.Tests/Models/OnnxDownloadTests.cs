using System.Net;
using System.Text.Json;
using EmotionApi.Learning.Images;
using EmotionApi.Prediction;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Shared;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Models;

/// <summary>GET /api/models/{id}/onnx: the file ONNX Runtime runs, giving /api/predict's probabilities.</summary>
[Collection(TrainedServiceCollection.Name)]
public class OnnxDownloadTests(TrainedServiceFixture service, ITestOutputHelper output)
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task The_onnx_file_gives_predicts_probabilities_in_onnx_runtime_for_32_faces()
    {
        var response = await Client.GetAsync($"/api/models/{service.ModelId}/onnx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"emotion-model-{service.ModelId}.onnx",
            response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var onnx = await response.Content.ReadAsByteArrayAsync();
        var faces = TrainingTestKit.UnseenFaces(32, seed: 2024);

        // The service's answers, a request of at most MaxFiles images at a time.
        var served = new List<double>();
        foreach (var chunk in faces.Chunk(TrainedServiceFixture.MaxFiles))
        {
            var answer = await Client.PostAsync("/api/predict", TrainingTestKit.Form(chunk.Select(face => (face.FileName, face.Png))));
            served.AddRange(JsonSerializer.Deserialize<PredictionResponse>(await answer.Content.ReadAsStringAsync(), TrainingTestKit.Json)!
                .Results.Select(result => result.Positive!.Value));
        }
        // ONNX Runtime, fed as the graph's contract says: prepared as uploads are, at the model's 32x32.
        var prepared = faces.Select(face => ImageCodec.Prepare(face.Png, new ImageSize(32, 32), ImageLimits.Default)).ToArray();
        var runtime = OnnxRuntimeReference.Run(onnx, prepared);

        var differences = served.Zip(runtime, (a, b) => Math.Abs(a - b)).ToArray();
        output.WriteLine($"compact-cnn (tiny) through the API: max |p_predict - p_onnxruntime| = {differences.Max():E2} over {faces.Count} faces");
        Assert.Equal(32, runtime.Length);
        Assert.All(differences, difference => Assert.True(difference <= 1e-4, $"difference {difference:E2}"));
        Assert.True(served.Max() - served.Min() > 0.1, "the faces must move the probability");
    }

    [Fact]
    public async Task The_onnx_file_of_an_unknown_model_is_404()
    {
        var response = await Client.GetAsync("/api/models/0123456789ab/onnx");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "Model not found", "0123456789ab");
    }
}
