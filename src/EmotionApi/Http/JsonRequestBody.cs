using System.Reflection;
using System.Text.Json;
using EmotionApi.Shared;

namespace EmotionApi.Http;

/// <summary>
/// Reads a JSON request body so that every field of the wrong type is named in one 400 answer
/// (minimal APIs' own binding stops at the first error and names no field).
/// </summary>
public static class JsonRequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
            throw new UnsupportedMediaTypeException("Unsupported media type", "Send the body as JSON with the header 'Content-Type: application/json'.");

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new ValidationException("body", $"Not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ValidationException("body", "Expected a JSON object.");

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            CollectTypeErrors(document.RootElement, typeof(T), prefix: "", options, errors);
            if (errors.Count > 0) throw new ValidationException(errors);
            return document.RootElement.Deserialize<T>(options)
                   ?? throw new ValidationException("body", "Expected a JSON object.");
        }
    }

    /// <summary>Tries each known field on its own, so one wrong field does not hide the next.</summary>
    private static void CollectTypeErrors(JsonElement element, Type type, string prefix, JsonSerializerOptions options, Dictionary<string, string[]> errors)
    {
        var naming = options.PropertyNamingPolicy ?? JsonNamingPolicy.CamelCase;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();
        foreach (var field in element.EnumerateObject())
        {
            var property = properties.FirstOrDefault(p => string.Equals(naming.ConvertName(p.Name), field.Name, StringComparison.OrdinalIgnoreCase));
            if (property is null) continue; // unknown fields are ignored, as System.Text.Json does by default
            var name = prefix + naming.ConvertName(property.Name);
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (field.Value.ValueKind == JsonValueKind.Object && target.IsClass && target != typeof(string))
            {
                CollectTypeErrors(field.Value, target, name + ".", options, errors);
                continue;
            }
            try
            {
                field.Value.Deserialize(property.PropertyType, options);
            }
            catch (JsonException)
            {
                errors[name] = [$"Expected {Describe(target)}; got {Describe(field.Value.ValueKind)}."];
            }
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(string) => "a string",
        _ => "an object",
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number out of range or with a fraction",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
