using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EmotionApi.Http;

/// <summary>
/// Makes the schemas of what the service answers say what a client receives, so generated clients need no null checks
/// or casts where none are due: a property always written is required; it is nullable only when its type is (a
/// <c>?</c> type whose null is written); a property left out when null (<c>JsonIgnore WhenWritingNull</c>) is optional
/// and never null. Request schemas keep what their types say (optional fields stay optional). Problem details get the
/// members the service's problem writer always sends.
/// </summary>
public sealed class ResponseSchemasFilter : IDocumentFilter
{
    private static readonly JsonNamingPolicy Naming = JsonNamingPolicy.CamelCase;

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        var nullability = new NullabilityInfoContext();
        var visited = new HashSet<Type>();
        foreach (var type in context.ApiDescriptions.SelectMany(api => api.SupportedResponseTypes).Select(response => response.Type).OfType<Type>())
            Visit(type);

        DescribeProblem(schemas, nameof(ProblemDetails));
        DescribeProblem(schemas, nameof(HttpValidationProblemDetails), "errors");

        void Visit(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!visited.Add(type) || typeof(ProblemDetails).IsAssignableFrom(type)) return;
            if (ElementType(type) is { } element)
            {
                Visit(element);
                return;
            }
            if (!context.SchemaRepository.TryLookupByType(type, out var reference)
                || !schemas.TryGetValue(reference.Reference.Id!, out var found) || found is not OpenApiSchema schema || schema.Properties is null)
                return;

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0))
            {
                var ignore = property.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition;
                if (ignore == JsonIgnoreCondition.Always) continue;
                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? Naming.ConvertName(property.Name);
                if (!schema.Properties.TryGetValue(name, out var propertySchema)) continue;

                var omittedWhenNull = ignore is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
                var nullable = !omittedWhenNull && IsNullable(property, nullability);
                schema.Required ??= new SortedSet<string>(StringComparer.Ordinal);
                if (omittedWhenNull) schema.Required.Remove(name);
                else schema.Required.Add(name);
                schema.Properties[name] = WithNullable(propertySchema, nullable);
                Visit(property.PropertyType);
            }
        }
    }

    private static bool IsNullable(PropertyInfo property, NullabilityInfoContext context) =>
        property.PropertyType.IsValueType
            ? Nullable.GetUnderlyingType(property.PropertyType) is not null
            : context.Create(property).ReadState != NullabilityState.NotNull;

    /// <summary>
    /// The property's schema, nullable or not. OpenAPI 3.0 has no nullable reference (<c>nullable</c> needs a <c>type</c>
    /// beside it, and a <c>$ref</c> takes no siblings): a reference that may be null becomes "the referenced schema, or
    /// the value null", <c>oneOf: [ref, {type: object, nullable: true, enum: [null]}]</c>.
    /// </summary>
    private static IOpenApiSchema WithNullable(IOpenApiSchema schema, bool nullable)
    {
        switch (schema)
        {
            case OpenApiSchemaReference reference:
                return nullable
                    ? new OpenApiSchema
                    {
                        OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Null, Enum = [null!] }],
                        Description = reference.Description,
                    }
                    : reference;
            case OpenApiSchema concrete when concrete.Type is { } type:
                concrete.Type = nullable ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
                return concrete;
            default:
                return schema;
        }
    }

    /// <summary>The element type of an array, a list or a dictionary's values; null for anything else.</summary>
    private static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        var generic = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
                      && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        if (generic is not null) return generic.GetGenericArguments()[1];
        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    /// <summary>
    /// A problem as the service writes it (<see cref="ProblemWriter"/>, the exception handler, the status pages): title,
    /// status and traceId always; type, detail and instance when known; a validation problem's errors always.
    /// </summary>
    private static void DescribeProblem(IDictionary<string, IOpenApiSchema> schemas, string id, params string[] alsoRequired)
    {
        if (!schemas.TryGetValue(id, out var found) || found is not OpenApiSchema schema || schema.Properties is null) return;
        foreach (var property in schema.Properties.Values.OfType<OpenApiSchema>())
            if (property.Type is { } type) property.Type = type & ~JsonSchemaType.Null;
        schema.Properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String, Description = "The request's trace identifier, as in the service's log.",
        };
        schema.Required = new SortedSet<string>(["title", "status", "traceId", .. alsoRequired], StringComparer.Ordinal);
    }
}
