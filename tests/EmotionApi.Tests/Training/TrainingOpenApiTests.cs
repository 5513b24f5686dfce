using System.Text.Json;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Training;

/// <summary>What a newcomer sees in the Swagger UI for training, models and prediction.</summary>
[Collection(ApiCollection.Name)]
public class TrainingOpenApiTests(EmotionApiFactory factory)
{
    public static TheoryData<string, string, string[]> Operations() => new()
    {
        { "post", "/api/training-jobs", ["202", "400", "415"] },
        { "get", "/api/training-jobs", ["200"] },
        { "get", "/api/training-jobs/{id}", ["200", "404"] },
        { "get", "/api/training-jobs/{id}/history", ["200", "404"] },
        { "get", "/api/training-jobs/{id}/evaluation", ["200", "404", "409"] },
        { "get", "/api/training-jobs/{id}/roc", ["200", "404", "409"] },
        { "post", "/api/training-jobs/{id}/cancel", ["202", "404", "409"] },
        { "delete", "/api/training-jobs/{id}", ["202", "204", "404"] },
        { "get", "/api/models", ["200"] },
        { "get", "/api/models/default", ["200", "404"] },
        { "put", "/api/models/default", ["200", "400"] },
        { "delete", "/api/models/default", ["204"] },
        { "get", "/api/models/{id}", ["200", "404"] },
        { "get", "/api/models/{id}/file", ["200", "404"] },
        { "get", "/api/models/{id}/history", ["200", "404"] },
        { "get", "/api/models/{id}/evaluation", ["200", "404"] },
        { "get", "/api/models/{id}/roc", ["200", "404"] },
        { "delete", "/api/models/{id}", ["204", "404"] },
        { "post", "/api/predict", ["200", "400", "404", "409", "413"] },
        { "get", "/api/datasets/{id}/audit", ["200", "404"] },
        { "put", "/api/models/{id}/threshold", ["200", "400", "404", "409", "415"] },
        { "get", "/api/models/{id}/onnx", ["200", "404"] },
        { "post", "/api/predict/explain", ["200", "400", "404", "409", "413"] },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_endpoint_is_documented_with_a_summary_a_tag_and_its_error_answers(string method, string path, string[] statuses)
    {
        var document = await DocumentAsync();

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()));
        Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
        var documented = operation.GetProperty("responses").EnumerateObject().Select(response => response.Name).ToHashSet();
        Assert.Subset(documented, statuses.ToHashSet());
    }

    [Fact]
    public async Task Queue_job_body_is_described_with_examples()
    {
        var document = await DocumentAsync();

        var body = document.GetProperty("paths").GetProperty("/api/training-jobs").GetProperty("post").GetProperty("requestBody");
        var reference = body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]);
        var properties = schema.GetProperty("properties");

        Assert.Equal("tiny", properties.GetProperty("preset").GetProperty("example").GetString());
        Assert.Equal(8, properties.GetProperty("epochs").GetProperty("example").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(properties.GetProperty("datasetId").GetProperty("description").GetString()));
        Assert.True(properties.TryGetProperty("augmentation", out _));
    }

    [Fact]
    public async Task Predict_takes_a_multipart_form_with_a_file_picker_and_an_optional_model_id()
    {
        var document = await DocumentAsync();

        var predict = document.GetProperty("paths").GetProperty("/api/predict").GetProperty("post");
        var reference = predict.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema")
            .GetProperty("$ref").GetString()!;
        var json = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]).GetRawText();

        // Swagger UI shows a file picker for a property of type string, format binary (here, an array of them).
        Assert.Contains("\"format\": \"binary\"", json.Replace("\":\"", "\": \""));
        Assert.Contains("files", json);
        // The model is named once, as a query parameter (a form field 'modelId' is read too, but documented in words only,
        // so that generated clients get one argument).
        var parameter = predict.GetProperty("parameters").EnumerateArray().Single();
        Assert.Equal(("modelId", "query"), (parameter.GetProperty("name").GetString(), parameter.GetProperty("in").GetString()));
        Assert.DoesNotContain("modelId", json);
    }

    [Fact]
    public async Task The_threshold_body_has_an_example_per_way_of_choosing()
    {
        var document = await DocumentAsync();

        var body = document.GetProperty("paths").GetProperty("/api/models/{id}/threshold").GetProperty("put").GetProperty("requestBody");
        var examples = body.GetProperty("content").GetProperty("application/json").GetProperty("examples");

        Assert.Equal(0.42, examples.GetProperty("by hand").GetProperty("value").GetProperty("threshold").GetDouble());
        Assert.Equal("youden", examples.GetProperty("youden").GetProperty("value").GetProperty("rule").GetString());
        var precision = examples.GetProperty("precision").GetProperty("value");
        Assert.Equal(("precision", 0.9), (precision.GetProperty("rule").GetString(), precision.GetProperty("target").GetDouble()));
        Assert.False(precision.TryGetProperty("threshold", out _), "an example shows only the fields it sends");
        Assert.Equal("recall", examples.GetProperty("recall").GetProperty("value").GetProperty("rule").GetString());
    }

    [Fact]
    public async Task The_audit_and_the_explanation_answers_have_examples_in_the_issues_shape()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        var audit = paths.GetProperty("/api/datasets/{id}/audit").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("examples").EnumerateObject().Single().Value.GetProperty("value");
        var conflict = audit.GetProperty("labelConflicts")[0];
        Assert.Equal(["positive", "negative"], conflict.GetProperty("images").EnumerateArray().Select(image => image.GetProperty("class").GetString()));
        Assert.True(conflict.GetProperty("images")[0].TryGetProperty("file", out _));
        Assert.True(conflict.TryGetProperty("maxDistance", out _));
        Assert.True(audit.TryGetProperty("duplicates", out _));

        var explain = paths.GetProperty("/api/predict/explain").GetProperty("post");
        var content = explain.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(content.TryGetProperty("image/png", out _));
        var example = content.GetProperty("application/json").GetProperty("examples").EnumerateObject().Single().Value.GetProperty("value");
        foreach (var field in new[] { "positive", "negative", "label", "width", "height", "heatmap" })
            Assert.True(example.TryGetProperty(field, out _), field);
        var reference = explain.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema")
            .GetProperty("$ref").GetString()!;
        var form = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]).GetRawText();
        Assert.Contains("binary", form);
        Assert.Contains("file", form);
        // As /api/predict: the model and the method are query parameters (form fields of those names work too).
        Assert.Equal(["modelId", "method"], explain.GetProperty("parameters").EnumerateArray().Select(parameter => parameter.GetProperty("name").GetString()));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = factory.CreateClient();
        var text = await client.GetStringAsync("/swagger/v1/swagger.json");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
