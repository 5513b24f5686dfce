using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionApi.Shared;

namespace EmotionApi.Http;

/// <summary>
/// Endpoint metadata: an example of a request body (<see cref="Status"/> null) or of an answer, shown by the OpenAPI
/// document (<see cref="DocumentedExamplesFilter"/>) as the service writes it (<see cref="JsonConventions"/>).
/// </summary>
/// <param name="Name">The example's key, shown in Swagger UI's example picker.</param>
/// <param name="Value">An object serialised with the service's JSON conventions.</param>
/// <param name="Status">The answer's status; null for the request body.</param>
/// <param name="Summary">One line shown beside the example.</param>
public sealed record DocumentedExample(string Name, object Value, int? Status = null, string? Summary = null)
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public JsonNode? Serialise() => JsonSerializer.SerializeToNode(Value, Value.GetType(), Json);

    private static JsonSerializerOptions CreateJson()
    {
        // An example shows the fields it sets: a request example, only what a client would send.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        JsonConventions.Apply(options);
        return options;
    }
}
