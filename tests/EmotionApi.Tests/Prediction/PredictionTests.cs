using System.Net;
using System.Text.Json;
using EmotionApi.Learning.Data;
using EmotionApi.Prediction;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Prediction;

[Collection(TrainedServiceCollection.Name)]
public class PredictionTests(TrainedServiceFixture service)
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task Unseen_positive_and_negative_faces_get_probabilities_pointing_the_right_way()
    {
        var faces = TrainingTestKit.UnseenFaces(TrainedServiceFixture.MaxFiles);

        var answer = await PredictAsync(TrainingTestKit.Form(faces.Select(face => (face.FileName, face.Png))));

        Assert.Equal(service.ModelId, answer.ModelId);
        Assert.Equal(faces.Select(face => face.FileName), answer.Results.Select(result => result.FileName));
        Assert.All(answer.Results, result =>
        {
            Assert.Null(result.Error);
            Assert.InRange(result.Positive!.Value, 0, 1);
            Assert.Equal(1.0, result.Positive.Value + result.Negative!.Value, 9);
            Assert.Equal(result.Positive > 0.5 ? "Positive" : "Negative", result.Label);
        });
        var positives = answer.Results.Where((_, i) => faces[i].Label == EmotionClass.Positive).Select(result => result.Positive!.Value).ToList();
        var negatives = answer.Results.Where((_, i) => faces[i].Label == EmotionClass.Negative).Select(result => result.Positive!.Value).ToList();
        Assert.NotEmpty(positives);
        Assert.NotEmpty(negatives);
        Assert.True(positives.Average() > negatives.Average() + 0.2,
            $"Mean P(positive): {positives.Average():F3} for positive faces, {negatives.Average():F3} for negative faces");
        var correct = answer.Results.Where((result, i) => result.Label == faces[i].Label.ToString()).Count();
        Assert.True(correct >= faces.Count * 2 / 3, $"{correct} of {faces.Count} labelled right");
    }

    [Fact]
    public async Task A_bad_image_in_a_batch_fails_alone()
    {
        var faces = TrainingTestKit.UnseenFaces(3, seed: 99);
        var files = new List<(string, byte[])>
        {
            (faces[0].FileName, faces[0].Png),
            ("notes.txt", "this is not an image"u8.ToArray()),
            (faces[1].FileName, faces[1].Png),
            ("huge.png", new byte[TrainedServiceFixture.MaxFileBytes + 1]),
            (faces[2].FileName, faces[2].Png),
        };

        var answer = await PredictAsync(TrainingTestKit.Form(files));

        Assert.Equal(files.Select(file => file.Item1), answer.Results.Select(result => result.FileName));
        Assert.All(new[] { 0, 2, 4 }, i => Assert.True(answer.Results[i] is { Error: null, Positive: not null, Label: not null }));
        Assert.All(new[] { 1, 3 }, i =>
        {
            Assert.False(string.IsNullOrWhiteSpace(answer.Results[i].Error));
            Assert.Null(answer.Results[i].Positive);
            Assert.Null(answer.Results[i].Label);
        });
        Assert.Contains("limit", answer.Results[3].Error);
    }

    [Fact]
    public async Task Errored_items_carry_no_probability_fields_in_json()
    {
        var response = await Client.PostAsync("/api/predict", TrainingTestKit.Form([
            ("face.png", TrainingTestKit.UnseenFaces(1)[0].Png), ("junk.bin", [1, 2, 3, 4]),
        ]));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var junk = body.RootElement.GetProperty("results")[1];

        Assert.Equal(new[] { "fileName", "error" }, junk.EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public async Task A_single_file_field_is_accepted_and_the_model_can_be_named_in_the_query()
    {
        var face = TrainingTestKit.UnseenFaces(1)[0];

        var answer = await PredictAsync(TrainingTestKit.Form([(face.FileName, face.Png)], field: "file"), $"?modelId={service.ModelId}");

        Assert.Equal(service.ModelId, answer.ModelId);
        Assert.Single(answer.Results);
        Assert.NotNull(answer.Results[0].Positive);
    }

    [Fact]
    public async Task Model_id_in_the_form_is_used()
    {
        var form = TrainingTestKit.Form([("face.png", TrainingTestKit.UnseenFaces(1)[0].Png)]);
        form.Add(new StringContent(service.ModelId), "modelId");

        Assert.Equal(service.ModelId, (await PredictAsync(form)).ModelId);
    }

    [Fact]
    public async Task Unknown_model_is_a_404_problem()
    {
        var response = await Client.PostAsync("/api/predict?modelId=0123456789ab", TrainingTestKit.Form([("face.png", TrainingTestKit.UnseenFaces(1)[0].Png)]));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "Model not found", "There is no model with id '0123456789ab'.");
    }

    [Fact]
    public async Task No_file_is_a_400_naming_files()
    {
        var form = new MultipartFormDataContent { { new StringContent(service.ModelId), "modelId" } };

        var problem = await (await Client.PostAsync("/api/predict", form)).AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "files");

        Assert.Equal("Send one or more images as multipart/form-data in the field 'files' (or 'file').", Assert.Single(problem.Errors!["files"]));
    }

    [Fact]
    public async Task More_files_than_the_limit_is_a_400_naming_files()
    {
        var face = TrainingTestKit.UnseenFaces(1)[0];
        var files = Enumerable.Range(0, TrainedServiceFixture.MaxFiles + 1).Select(i => ($"face{i}.png", face.Png));

        var problem = await (await Client.PostAsync("/api/predict", TrainingTestKit.Form(files))).AssertProblemAsync(
            HttpStatusCode.BadRequest, "Invalid request", "files");

        Assert.Equal($"At most {TrainedServiceFixture.MaxFiles} images per request; got {TrainedServiceFixture.MaxFiles + 1}.",
            Assert.Single(problem.Errors!["files"]));
    }

    [Fact]
    public async Task When_no_image_can_be_used_the_answer_is_a_400_naming_each_file()
    {
        var response = await Client.PostAsync("/api/predict", TrainingTestKit.Form([("a.txt", "text"u8.ToArray()), ("b.png", [0x89, 0x50, 0x4E, 0x47])]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "files[0]: a.txt: ", "files[1]: b.png: ");
        Assert.Equal(["files[0]", "files[1]"], problem.Errors!.Keys.Order());
        Assert.StartsWith("a.txt: ", Assert.Single(problem.Errors["files[0]"]));
        Assert.StartsWith("b.png: ", Assert.Single(problem.Errors["files[1]"]));
    }

    [Fact]
    public async Task A_single_oversized_file_is_a_413_problem()
    {
        var response = await Client.PostAsync("/api/predict", TrainingTestKit.Form([("big.png", new byte[TrainedServiceFixture.MaxFileBytes + 1])]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Image too large",
            $"big.png: The file has {TrainedServiceFixture.MaxFileBytes + 1} bytes; the limit is {TrainedServiceFixture.MaxFileBytes}.");
        Assert.Equal(["files[0]"], problem.Errors!.Keys);
    }

    [Fact]
    public async Task A_request_over_the_size_limit_is_a_413_problem()
    {
        var files = Enumerable.Range(0, 5).Select(i => ($"part{i}.png", new byte[TrainedServiceFixture.MaxRequestBytes / 4]));

        var response = await Client.PostAsync("/api/predict", TrainingTestKit.Form(files));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request too large", $"{TrainedServiceFixture.MaxRequestBytes}");
    }

    [Theory]
    [InlineData("/api/predict")]
    [InlineData("/api/predict/explain")]
    public async Task A_multipart_body_that_ends_before_its_closing_boundary_is_a_400_problem(string path)
    {
        // Found by the fuzzing run (docs/fuzzing.md): the form reader's IOException was a 500.
        var face = TrainingTestKit.UnseenFaces(1, seed: 5)[0];
        var content = new ByteArrayContent([.. "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"u8, .. face.Png]);
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");

        var response = await Client.PostAsync(path, content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Malformed multipart body",
            "The multipart/form-data body could not be read: the body ends before its closing boundary.");
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/api/predict", TrainingTestKit.Form([(face.FileName, face.Png)]))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_loaded_model_and_agree()
    {
        var face = TrainingTestKit.UnseenFaces(1, seed: 5)[0];

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => PredictAsync(TrainingTestKit.Form([(face.FileName, face.Png)]))));

        // Requests that arrive together share forward passes: the same image in batches of other sizes differs in the
        // float sums' order only.
        var positives = answers.Select(answer => answer.Results[0].Positive!.Value).ToList();
        Assert.InRange(positives.Max() - positives.Min(), 0, 1e-6);
    }

    [Fact]
    public async Task Concurrent_requests_get_their_own_results_and_per_image_errors_in_order_as_when_sent_alone()
    {
        var faces = TrainingTestKit.UnseenFaces(10, seed: 31);
        (string, byte[]) Face(int i) => (faces[i].FileName, faces[i].Png);
        (string, byte[]) junk = ("junk.txt", "not an image"u8.ToArray());
        (string, byte[]) empty = ("empty.png", []);
        (string, byte[]) huge = ("huge.png", new byte[TrainedServiceFixture.MaxFileBytes + 1]);
        List<(string, byte[])>[] requests =
        [
            [Face(0)], [Face(1), junk, Face(2)], [empty, Face(3)], [Face(4), Face(5), Face(6), Face(7)], [Face(8), huge],
            [Face(9)], [junk, Face(0), Face(1)], [Face(2), Face(3), empty], [Face(4)], [huge, Face(5), junk, Face(6)],
        ];
        var alone = new List<PredictionResponse>();
        foreach (var files in requests) alone.Add(await PredictAsync(TrainingTestKit.Form(files)));

        for (var round = 0; round < 3; round++)
        {
            var together = await Task.WhenAll(requests.Select(files => Task.Run(() => PredictAsync(TrainingTestKit.Form(files)))));

            for (var r = 0; r < requests.Length; r++)
            {
                Assert.Equal(requests[r].Select(file => file.Item1), together[r].Results.Select(result => result.FileName));
                for (var i = 0; i < requests[r].Count; i++)
                {
                    var (expected, actual) = (alone[r].Results[i], together[r].Results[i]);
                    Assert.Equal(expected.Error, actual.Error);
                    Assert.Equal(expected.Label, actual.Label);
                    // The same image alone or in a batch: the same network, float sums in another order at most.
                    if (expected.Positive is { } positive) Assert.Equal(positive, actual.Positive!.Value, 5);
                    else Assert.Null(actual.Positive);
                }
            }
        }
        var answered = alone.SelectMany(answer => answer.Results).ToList();
        Assert.All(answered.Where(result => result.FileName is "junk.txt" or "empty.png" or "huge.png"), result => Assert.NotNull(result.Error));
        Assert.All(answered.Where(result => result.FileName is not ("junk.txt" or "empty.png" or "huge.png")), result => Assert.NotNull(result.Positive));
    }

    private async Task<PredictionResponse> PredictAsync(HttpContent form, string query = "")
    {
        var response = await Client.PostAsync($"/api/predict{query}", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<PredictionResponse>(text, TrainingTestKit.Json)!;
    }
}
