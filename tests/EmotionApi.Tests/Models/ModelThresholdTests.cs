using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Models;
using EmotionApi.Models;
using EmotionApi.Prediction;
using EmotionApi.RunResults;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Models;

/// <summary>PUT /api/models/{id}/threshold: chosen on the validation part, evaluated on the test set, obeyed by /api/predict.</summary>
public sealed class ModelThresholdTests(ThresholdServiceFixture service) : IClassFixture<ThresholdServiceFixture>
{
    private HttpClient Client => service.Client;

    [Fact]
    public void A_new_model_starts_at_its_training_threshold_with_its_point_on_the_validation_part()
    {
        var (model, withoutValidation) = service.AsRegistered;

        Assert.Equal((0.5, ThresholdOrigin.DefaultRule), (model.Threshold, model.ThresholdOrigin.Rule));
        var point = model.ThresholdOrigin.Validation!;
        Assert.Equal(0.5, point.Threshold);
        // The tiny preset keeps 15% of the training part of 240 images for validation.
        Assert.InRange(point.TruePositives + point.FalsePositives + point.TrueNegatives + point.FalseNegatives, 25, 35);
        Assert.Equal((0.5, ThresholdOrigin.DefaultRule), (withoutValidation.Threshold, withoutValidation.ThresholdOrigin.Rule));
        // Trained without a validation part: no point to show.
        Assert.Null(withoutValidation.ThresholdOrigin.Validation);
    }

    [Fact]
    public async Task An_explicit_threshold_is_recorded_in_the_manifest_and_the_test_set_is_evaluated_at_it()
    {
        var answer = await PutAsync(service.ModelId, """{"threshold": 0.42}""");

        Assert.Equal(0.42, answer.Model.Threshold);
        Assert.Equal(ThresholdOrigin.ManualRule, answer.Model.ThresholdOrigin.Rule);
        Assert.NotNull(answer.Model.ThresholdOrigin.ChosenAt);
        var validation = answer.Model.ThresholdOrigin.Validation!;
        Assert.Equal(0.42, validation.Threshold);
        Assert.Equal(answer.Evaluation!.TestSize, (await EvaluationAsync(service.ModelId)).TestSize);
        Assert.Equal(0.42, answer.Evaluation.Threshold);
        Assert.Equivalent(answer.Evaluation, await EvaluationAsync(service.ModelId), strict: true);
        // The manifest on disk, the file a download carries, says the same.
        var manifest = TrainedModel.ReadManifest(Path.Combine(service.Factory.DataPath, "models", service.ModelId));
        Assert.Equal((0.42, "manual"), (manifest.Threshold, manifest.ThresholdOrigin!.Rule));
    }

    [Fact]
    public async Task The_evaluation_at_a_threshold_counts_the_test_images_as_the_rule_says()
    {
        // At 0.5 the evaluation is the one made at training; at 0.001 nearly everything is Positive.
        var atHalf = (await PutAsync(service.ModelId, """{"threshold": 0.5}""")).Evaluation!;
        var atTraining = (await Client.GetFromJsonAsync<EvaluationView>($"/api/training-jobs/{service.ModelId}/evaluation", TrainingTestKit.Json))!;
        var low = (await PutAsync(service.ModelId, """{"threshold": 0.001}""")).Evaluation!;

        Assert.Equivalent(atTraining, atHalf, strict: true);
        Assert.True(low.ConfusionMatrix.Counts[0][1] >= atHalf.ConfusionMatrix.Counts[0][1], "more false positives at a lower threshold");
        Assert.True(low.ConfusionMatrix.Counts[1][1] >= atHalf.ConfusionMatrix.Counts[1][1], "more true positives at a lower threshold");
        Assert.Equal(atHalf.RocAuc, low.RocAuc);
        Assert.Equal(atHalf.TestImagesWithNearDuplicateInTraining, low.TestImagesWithNearDuplicateInTraining);
    }

    [Fact]
    public async Task Predict_labels_follow_the_threshold_from_the_next_request()
    {
        var face = TrainingTestKit.UnseenFaces(1, seed: 321)[0];
        var positive = (await PredictAsync(face.FileName, face.Png)).Positive!.Value;

        await PutAsync(service.ModelId, Json(new { threshold = Math.Max(1e-6, positive - 1e-4) }));
        var below = await PredictAsync(face.FileName, face.Png);
        await PutAsync(service.ModelId, Json(new { threshold = Math.Min(1 - 1e-6, positive + 1e-4) }));
        var above = await PredictAsync(face.FileName, face.Png);

        Assert.Equal(("Positive", "Negative"), (below.Label, above.Label));
        Assert.Equal(positive, above.Positive!.Value);
    }

    [Fact]
    public async Task The_models_plots_follow_its_threshold()
    {
        await PutAsync(service.ModelId, """{"threshold": 0.5}""");
        var atHalf = await Client.GetAsync($"/api/models/{service.ModelId}/plots/confusion.svg");
        await PutAsync(service.ModelId, """{"threshold": 0.001}""");
        var atLow = await Client.GetAsync($"/api/models/{service.ModelId}/plots/confusion.svg");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (atHalf.StatusCode, atLow.StatusCode));
        Assert.NotEqual(atHalf.Headers.ETag, atLow.Headers.ETag);
        Assert.NotEqual(await atHalf.Content.ReadAsStringAsync(), await atLow.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"rule": "youden"}""", "youden", null)]
    [InlineData("""{"rule": "Precision", "target": 0.8}""", "precision", 0.8)]
    [InlineData("""{"rule": "recall", "target": 0.9}""", "recall", 0.9)]
    public async Task A_rule_chooses_the_threshold_on_the_validation_part(string body, string rule, double? target)
    {
        var answer = await PutAsync(service.ModelId, body);

        var origin = answer.Model.ThresholdOrigin;
        Assert.Equal((rule, target), (origin.Rule, origin.Target));
        Assert.InRange(answer.Model.Threshold, 1e-6, 1 - 1e-6);
        var point = origin.Validation!;
        Assert.Equal(answer.Model.Threshold, point.Threshold);
        // The chosen point keeps its promise on the validation part.
        if (rule == "precision") Assert.True(point.Precision >= 0.8, $"precision {point.Precision}");
        if (rule == "recall") Assert.True(point.Recall >= 0.9, $"recall {point.Recall}");
        if (rule == "youden") Assert.True(point.YoudenJ > 0, $"J {point.YoudenJ}");
        Assert.Equal(answer.Model.Threshold, answer.Evaluation!.Threshold);
    }

    [Fact]
    public async Task A_rule_for_a_model_without_a_validation_part_is_409_and_a_threshold_is_still_allowed()
    {
        var refused = await Client.PutAsync($"/api/models/{service.WithoutValidationModelId}/threshold", TrainingTestKit.JsonBody("""{"rule": "youden"}"""));
        var allowed = await PutAsync(service.WithoutValidationModelId, """{"threshold": 0.3}""");

        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "No validation scores", "without a validation part", "explicit threshold");
        Assert.Equal(0.3, allowed.Model.Threshold);
        Assert.Null(allowed.Model.ThresholdOrigin.Validation);
    }

    [Theory]
    [InlineData("""{}""", "threshold")]
    [InlineData("""{"threshold": 0.4, "rule": "youden"}""", "rule")]
    [InlineData("""{"threshold": 1}""", "threshold")]
    [InlineData("""{"threshold": 0}""", "threshold")]
    [InlineData("""{"threshold": 0.4, "target": 0.9}""", "target")]
    [InlineData("""{"rule": "f1"}""", "rule")]
    [InlineData("""{"rule": "precision"}""", "target")]
    [InlineData("""{"rule": "recall", "target": 1.5}""", "target")]
    [InlineData("""{"rule": "youden", "target": 0.9}""", "target")]
    [InlineData("""{"threshold": "high"}""", "threshold")]
    public async Task A_malformed_request_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var before = await ModelAsync(service.WithoutValidationModelId);

        var response = await Client.PutAsync($"/api/models/{service.WithoutValidationModelId}/threshold", TrainingTestKit.JsonBody(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request");
        Assert.Contains(field, problem.Errors!.Keys);
        Assert.Equal(before.Threshold, (await ModelAsync(service.WithoutValidationModelId)).Threshold);
    }

    [Fact]
    public async Task An_unknown_model_is_404()
    {
        var response = await Client.PutAsync("/api/models/0123456789ab/threshold", TrainingTestKit.JsonBody("""{"threshold": 0.4}"""));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "Model not found", "0123456789ab");
    }

    [Fact]
    public async Task A_model_of_the_previous_version_has_threshold_0_5_default_and_takes_an_explicit_threshold()
    {
        // The previous version's files: no thresholdOrigin in model.json, no kept scores in registration.json.
        var id = "0ld0version1";
        var models = Path.Combine(service.Factory.DataPath, "models");
        CopyDirectory(Path.Combine(models, service.WithoutValidationModelId), Path.Combine(models, id));
        Strip(Path.Combine(models, id, "model.json"), "thresholdOrigin");
        Strip(Path.Combine(models, id, "registration.json"), "testScores", "validationScores");
        var registration = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(models, id, "registration.json")))!;
        registration["id"] = id;
        await File.WriteAllTextAsync(Path.Combine(models, id, "registration.json"), registration.ToJsonString());
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(models, id, "model.json")))!;
        manifest["threshold"] = 0.5;
        await File.WriteAllTextAsync(Path.Combine(models, id, "model.json"), manifest.ToJsonString());

        var old = await ModelAsync(id);
        var ruled = await Client.PutAsync($"/api/models/{id}/threshold", TrainingTestKit.JsonBody("""{"rule": "recall", "target": 0.9}"""));
        var chosen = await PutAsync(id, """{"threshold": 0.35}""");

        Assert.Equal((0.5, "default"), (old.Threshold, old.ThresholdOrigin.Rule));
        await ruled.AssertProblemAsync(HttpStatusCode.Conflict, "No validation scores");
        Assert.Equal(0.35, chosen.Model.Threshold);
        // Its test scores were not kept: no evaluation at the new threshold; the stored one stays, at its own threshold.
        Assert.Null(chosen.Evaluation);
        Assert.Equal(0.5, (await EvaluationAsync(id)).Threshold);
        var predicted = await PredictAsync("face.png", TrainingTestKit.UnseenFaces(1)[0].Png, id);
        Assert.Equal(predicted.Positive > 0.35 ? "Positive" : "Negative", predicted.Label);
    }

    private async Task<ThresholdChangeView> PutAsync(string modelId, string body)
    {
        var response = await Client.PutAsync($"/api/models/{modelId}/threshold", TrainingTestKit.JsonBody(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<ThresholdChangeView>(text, TrainingTestKit.Json)!;
    }

    private async Task<ModelDetails> ModelAsync(string id) =>
        (await Client.GetFromJsonAsync<ModelDetails>($"/api/models/{id}", TrainingTestKit.Json))!;

    private async Task<EvaluationView> EvaluationAsync(string id) =>
        (await Client.GetFromJsonAsync<EvaluationView>($"/api/models/{id}/evaluation", TrainingTestKit.Json))!;

    private async Task<ImagePrediction> PredictAsync(string fileName, byte[] png, string? modelId = null)
    {
        var response = await Client.PostAsync($"/api/predict?modelId={modelId ?? service.ModelId}", TrainingTestKit.Form([(fileName, png)]));
        return (await response.Content.ReadFromJsonAsync<PredictionResponse>(TrainingTestKit.Json))!.Results.Single();
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, TrainingTestKit.Json);

    private static void Strip(string path, params string[] properties)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var property in properties) node.Remove(property);
        File.WriteAllText(path, node.ToJsonString());
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
