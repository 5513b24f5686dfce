using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmotionApi.Shared;

/// <summary>The service's JSON, on the wire and in its records alike.</summary>
public static class JsonConventions
{
    /// <summary>camelCase names, enums as camelCase strings, and +/-Infinity allowed (the ROC curve's first threshold).</summary>
    public static void Apply(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        json.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
    }
}
