using System.Text.Json;
using EmotionApi.Infrastructure;

namespace EmotionApi.Training;

/// <summary>
/// How the service's own records (jobs, model registrations, the default-model choice) are written:
/// the API's conventions (camelCase, enums as strings, NaN and infinity allowed), indented for people.
/// </summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        ServiceDefaults.ConfigureJson(options);
        return options;
    }
}
