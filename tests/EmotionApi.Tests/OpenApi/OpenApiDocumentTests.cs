using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.OpenApi;

/// <summary>
/// The OpenAPI document as a client generator reads it: what is always sent is required and non-null, every operation
/// says which key and roles it needs, and the copy the typed client is generated from (src/EmotionApi.Client/openapi.json)
/// is the running service's.
/// </summary>
[Collection(ApiCollection.Name)]
public class OpenApiDocumentTests(EmotionApiFactory factory)
{
    /// <summary>The response properties the service leaves out when null (the only ones a client may miss).</summary>
    private static readonly Dictionary<string, string[]> OmittedWhenNull = new()
    {
        ["ImagePrediction"] = ["positive", "negative", "label", "error"],
        ["ProblemDetails"] = ["type", "detail", "instance"],
        ["HttpValidationProblemDetails"] = ["type", "detail", "instance"],
    };

    [Fact]
    public async Task The_committed_document_that_the_typed_client_is_generated_from_is_the_running_service_s()
    {
        var live = await DocumentTextAsync();
        var committedPath = CommittedDocumentPath();
        var committed = File.Exists(committedPath) ? await File.ReadAllTextAsync(committedPath) : "{}";

        if (JsonNode.DeepEquals(JsonNode.Parse(live), JsonNode.Parse(committed))) return;
        if (!IsCi) await File.WriteAllTextAsync(committedPath, live.ReplaceLineEndings("\n") + "\n");
        Assert.Fail($"{committedPath} differs from the service's document. " + (IsCi
            ? "Run the tests locally, which rewrite it, and commit it."
            : "It has been rewritten from the service: review and commit it (the client is regenerated at the next build)."));
    }

    [Fact]
    public async Task Response_properties_are_required_and_nullable_only_where_the_service_sends_null()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();

        foreach (var name in ResponseSchemaNames(document))
        {
            var schema = schemas[name]!;
            if (schema["properties"] is null) continue; // an enum
            var required = schema["required"]?.AsArray().Select(item => item!.GetValue<string>()).ToHashSet() ?? [];
            var optional = schema["properties"]!.AsObject().Select(property => property.Key).Where(property => !required.Contains(property)).Order();
            Assert.Equal(OmittedWhenNull.GetValueOrDefault(name, []).Order(), optional);
        }

        var job = schemas["TrainingJobView"]!["properties"]!;
        Assert.Null(job["id"]!["nullable"]);
        Assert.True(job["modelId"]!["nullable"]!.GetValue<bool>()); // null until the job succeeds
        // A reference that may be null: the referenced schema, or null (OpenAPI 3.0 has no nullable $ref).
        Assert.Equal("#/components/schemas/TrainingJobProgress", job["progress"]!["oneOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.True(job["progress"]!["oneOf"]![1]!["nullable"]!.GetValue<bool>());
        Assert.Equal("#/components/schemas/TrainingSettings", job["settings"]!["$ref"]!.GetValue<string>());
        var prediction = schemas["ImagePrediction"]!["properties"]!;
        Assert.Null(prediction["positive"]!["nullable"]); // left out when there is no value, never null
        Assert.Null(prediction["fileName"]!["nullable"]);
    }

    [Fact]
    public async Task Every_operation_has_an_operation_id_both_key_schemes_its_roles_and_its_refusals()
    {
        var document = await DocumentAsync();

        Assert.Equal("/", document["servers"]![0]!["url"]!.GetValue<string>());
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal(("apiKey", "header", "X-Api-Key"),
            (schemes["ApiKey"]!["type"]!.GetValue<string>(), schemes["ApiKey"]!["in"]!.GetValue<string>(), schemes["ApiKey"]!["name"]!.GetValue<string>()));
        Assert.Equal(("http", "bearer"), (schemes["Bearer"]!["type"]!.GetValue<string>(), schemes["Bearer"]!["scheme"]!.GetValue<string>()));

        var operations = Operations(document).ToList();
        Assert.Equal(operations.Count, operations.Select(operation => operation.Value["operationId"]!.GetValue<string>()).Distinct().Count());
        foreach (var (key, operation) in operations)
        {
            Assert.Equal("[{\"ApiKey\":[]},{\"Bearer\":[]}]", operation["security"]!.ToJsonString());
            Assert.Contains("Roles: ", operation["description"]!.GetValue<string>());
            Assert.True(operation["responses"]!["401"] is not null && operation["responses"]!["403"] is not null, $"{key}: no 401 and 403");
        }

        var predict = document["paths"]!["/api/predict"]!["post"]!;
        Assert.EndsWith("Roles: predictor, admin.", predict["description"]!.GetValue<string>());
        Assert.Equal("integer", predict["responses"]!["429"]!["headers"]!["Retry-After"]!["schema"]!["type"]!.GetValue<string>());
        Assert.EndsWith("Roles: admin.", document["paths"]!["/api/models/{id}"]!["delete"]!["description"]!.GetValue<string>());
        Assert.EndsWith("Roles: trainer, predictor, admin.", document["paths"]!["/api/models/{id}"]!["get"]!["description"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/datasets"]!["post"]!["responses"]!["507"]);
        Assert.Null(document["paths"]!["/api/datasets"]!["get"]!["responses"]!["429"]); // reading is not rate limited
    }

    [Fact]
    public async Task Every_tag_has_a_description()
    {
        var document = await DocumentAsync();

        var tags = document["tags"]!.AsArray();
        Assert.Equal(["Datasets", "Models", "Prediction", "Training jobs"], tags.Select(tag => tag!["name"]!.GetValue<string>()));
        Assert.All(tags, tag => Assert.False(string.IsNullOrWhiteSpace(tag!["description"]?.GetValue<string>())));
    }

    /// <summary>Names of the schemas reached from a response, through properties, items and compositions.</summary>
    private static IReadOnlySet<string> ResponseSchemaNames(JsonNode document)
    {
        var names = new HashSet<string>();
        var schemas = document["components"]!["schemas"]!;
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["$ref"]?.GetValue<string>() is { } reference && reference.Split('/')[^1] is var name && names.Add(name)) Walk(schemas[name]);
                    foreach (var (_, child) in obj) Walk(child);
                    break;
                case JsonArray array:
                    foreach (var child in array) Walk(child);
                    break;
            }
        }
        foreach (var (_, operation) in Operations(document)) Walk(operation["responses"]);
        Assert.Contains("TrainingJobView", names);
        return names;
    }

    private static IEnumerable<(string Key, JsonNode Value)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(operation => ($"{operation.Key} {path.Key}", operation.Value!)));

    private async Task<string> DocumentTextAsync()
    {
        using var client = factory.CreateClient();
        return await client.GetStringAsync("/swagger/v1/swagger.json");
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await DocumentTextAsync())!;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string CommittedDocumentPath([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "src", "EmotionApi.Client", "openapi.json"));
}
