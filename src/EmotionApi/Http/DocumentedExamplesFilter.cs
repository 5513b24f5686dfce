using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EmotionApi.Http;

/// <summary>Writes the <see cref="DocumentedExample"/>s of an endpoint into its operation's JSON request body and answers.</summary>
internal sealed class DocumentedExamplesFilter : IOperationFilter
{
    private const string JsonMediaType = "application/json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var example in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<DocumentedExample>())
        {
            var content = example.Status is { } status
                ? (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true ? response.Content : null)
                : operation.RequestBody?.Content;
            if (content is null) continue;
            if (!content.TryGetValue(JsonMediaType, out var mediaType))
                content[JsonMediaType] = mediaType = new OpenApiMediaType();
            if (mediaType is not OpenApiMediaType media) continue;
            media.Examples ??= new Dictionary<string, IOpenApiExample>();
            media.Examples[example.Name] = new OpenApiExample { Summary = example.Summary, Value = example.Serialise() };
        }
    }
}
