using System.Text.Json;

namespace EmotionApi.Shared;

/// <summary>
/// How the service's own records (jobs, model registrations, the default-model choice) are written:
/// the API's conventions (<see cref="JsonConventions"/>), indented for people.
/// </summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        JsonConventions.Apply(options);
        return options;
    }
}
