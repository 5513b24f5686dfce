using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Training;

namespace EmotionApi.Bench;

/// <summary>A preset's settings with "field=value" overrides, fields by their JSON names ("augmentation.zoom"), values as JSON.</summary>
internal static class SettingsOverrides
{
    /// <exception cref="ArgumentException">An unknown field, a value that does not parse, or settings that are not valid.</exception>
    public static TrainingSettings Apply(TrainingSettings settings, IEnumerable<string> overrides)
    {
        var json = JsonSerializer.SerializeToNode(settings, ModelManifest.JsonOptions)!.AsObject();
        foreach (var entry in overrides)
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2) throw new ArgumentException($"--set takes field=value, not '{entry}'.");
            var path = parts[0].Split('.');
            var owner = json;
            foreach (var step in path[..^1])
                owner = owner[step] as JsonObject ?? throw new ArgumentException($"Unknown setting '{parts[0]}'.");
            if (!owner.ContainsKey(path[^1])) throw new ArgumentException($"Unknown setting '{parts[0]}'.");
            owner[path[^1]] = Value(parts[1]);
        }
        var result = json.Deserialize<TrainingSettings>(ModelManifest.JsonOptions)!;
        TrainingSettingsValidator.EnsureValid(result);
        return result;
    }

    // Numbers and true/false as JSON; anything else is a string (a network's name).
    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
