using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EmotionApi.Prediction;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Tests.Prediction;

/// <summary>
/// POST /api/predict/explain on the shared tiny model (32x32 inputs, so occlusion): a PNG by default, the heatmap as JSON on
/// request, the same probability as /api/predict. That the heat lies on the mouths of synthetic faces is measured in the
/// library's ModelExplainerTests.
/// </summary>
[Collection(TrainedServiceCollection.Name)]
public class ExplainTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;
    private static readonly Generated Face = new(TrainingTestKit.UnseenFaces(1, seed: 77)[0].FileName, TrainingTestKit.UnseenFaces(1, seed: 77)[0].Png);

    [Fact]
    public async Task By_default_the_answer_is_a_png_of_the_image_with_the_heat_over_it()
    {
        var response = await ExplainAsync(Face);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        using var overlay = Image.Load<Rgb24>(png);
        using var original = Image.Load<Rgb24>(Face.Png);
        // At the image's own size (48x48), and coloured: not the picture sent back.
        Assert.Equal((original.Width, original.Height), (overlay.Width, overlay.Height));
        var changed = 0;
        for (var y = 0; y < overlay.Height; y++)
        for (var x = 0; x < overlay.Width; x++)
            if (!overlay[x, y].Equals(original[x, y])) changed++;
        Assert.True(changed > overlay.Width * overlay.Height / 2, $"{changed} pixels changed");
    }

    [Fact]
    public async Task With_accept_json_the_heatmap_comes_as_numbers_at_the_models_input_size_with_predicts_probability()
    {
        var explanation = await ExplainJsonAsync(Face);
        var predicted = await PredictAsync(Face);

        Assert.Equal(service.ModelId, explanation.ModelId);
        Assert.Equal(predicted.Positive!.Value, explanation.Positive, 6);
        Assert.Equal(1, explanation.Positive + explanation.Negative, 9);
        Assert.Equal(predicted.Label, explanation.Label);
        Assert.Equal(0.5, explanation.Threshold);
        Assert.Equal("occlusion", explanation.Method);
        Assert.Equal((32, 32), (explanation.Width, explanation.Height));
        Assert.Equal(32, explanation.Heatmap.Length);
        Assert.All(explanation.Heatmap, row => Assert.Equal(32, row.Length));
        var values = explanation.Heatmap.SelectMany(row => row).ToArray();
        Assert.All(values, value => Assert.InRange(value, 0f, 1f));
        Assert.Equal(1f, values.Max());
    }

    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData("image/png", "image/png")]
    [InlineData("*/*", "image/png")]
    [InlineData("image/png;q=0.4, application/json", "application/json")]
    [InlineData("application/json;q=0.4, image/png", "image/png")]
    [InlineData("text/html", "image/png")]
    public async Task The_accept_header_chooses_between_png_and_json(string accept, string expected)
    {
        var response = await ExplainAsync(Face, accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Grad_cam_can_be_asked_for_by_name_and_the_model_by_id()
    {
        var explanation = await ExplainJsonAsync(Face, $"?method=gradCam&modelId={service.ModelId}");

        Assert.Equal("gradCam", explanation.Method);
        Assert.Equal((32, 32), (explanation.Width, explanation.Height));
    }

    [Fact]
    public async Task Bad_requests_are_problems_that_say_what_is_wrong()
    {
        var none = await Client.PostAsync("/api/predict/explain", new MultipartFormDataContent { { new StringContent("x"), "modelId" } });
        var two = await Client.PostAsync("/api/predict/explain", TrainingTestKit.Form([(Face.FileName, Face.Png), (Face.FileName, Face.Png)], field: "file"));
        var notAnImage = await ExplainAsync(new Generated("notes.txt", "not an image"u8.ToArray()));
        var tooLarge = await ExplainAsync(new Generated("huge.png", new byte[TrainedServiceFixture.MaxFileBytes + 1]));
        var unknownMethod = await ExplainAsync(Face, query: "?method=saliency");
        var unknownModel = await ExplainAsync(Face, query: "?modelId=0123456789ab");

        Assert.Contains("file", (await none.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "one image")).Errors!.Keys);
        Assert.Contains("file", (await two.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "got 2 files")).Errors!.Keys);
        Assert.Contains("file", (await notAnImage.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "notes.txt")).Errors!.Keys);
        await tooLarge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Image too large", "huge.png");
        Assert.Contains("method", (await unknownMethod.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "saliency")).Errors!.Keys);
        await unknownModel.AssertProblemAsync(HttpStatusCode.NotFound, "Model not found", "0123456789ab");
    }

    private sealed record Generated(string FileName, byte[] Png);

    private sealed record ExplanationJson(
        string ModelId, string FileName, double Positive, double Negative, string Label, double Threshold, string Method,
        int Width, int Height, float[][] Heatmap);

    private Task<HttpResponseMessage> ExplainAsync(Generated image, string query = "", string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict/explain" + query)
        {
            Content = TrainingTestKit.Form([(image.FileName, image.Png)], field: "file"),
        };
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return Client.SendAsync(request);
    }

    private async Task<ExplanationJson> ExplainJsonAsync(Generated image, string query = "")
    {
        var response = await ExplainAsync(image, query, accept: "application/json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<ExplanationJson>(text, TrainingTestKit.Json)!;
    }

    private async Task<ImagePrediction> PredictAsync(Generated image)
    {
        var response = await Client.PostAsync("/api/predict", TrainingTestKit.Form([(image.FileName, image.Png)]));
        return JsonSerializer.Deserialize<PredictionResponse>(await response.Content.ReadAsStringAsync(), TrainingTestKit.Json)!.Results.Single();
    }
}
