using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EmotionApi.Http.Security;

/// <summary>
/// Writes into the OpenAPI document what the endpoints' metadata says about callers: the two ways to send a key (one
/// security scheme each, so Swagger UI's Authorize button offers both), each operation's requirement and the roles
/// that pass it, 401 and 403 answers, and 429 with <c>Retry-After</c> where a rate limit applies. An anonymous
/// endpoint gets no requirement.
/// </summary>
public sealed class SecurityOperationFilter : IOperationFilter
{
    public const string ApiKeySchemeId = "ApiKey";
    public const string BearerSchemeId = "Bearer";

    /// <summary>The two security schemes, for the document's components.</summary>
    public static void AddSchemes(SwaggerGenOptions swagger)
    {
        swagger.AddSecurityDefinition(ApiKeySchemeId, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.HeaderName,
            Description = $"An API key in the {ApiKeyAuthentication.HeaderName} header. Keys and their roles (admin, trainer, predictor) " +
                          "are configured by the operator (Auth:Keys); a service without keys (Development) does not ask for one.",
        });
        swagger.AddSecurityDefinition(BearerSchemeId, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as 'Authorization: Bearer <key>'.",
        });
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        operation.Responses ??= [];

        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeySchemeId, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeId, context.Document)] = [] },
            ];
            var roles = ApiPolicies.RolesAdmittedBy(metadata.OfType<IAuthorizeData>());
            operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : "\n\n")}" +
                                    $"Roles: {string.Join(", ", roles)}.";
            operation.Responses.TryAdd("401", Problem("No API key, or a key this service does not know.", problem));
            operation.Responses.TryAdd("403", Problem($"The key's roles do not include {string.Join(" or ", roles)}.", problem));
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().LastOrDefault() is { PolicyName: { } policy })
        {
            var tooMany = Problem($"Too many requests: over RateLimits:{policy}:PermitsPerMinute for this key (or client address).", problem);
            tooMany.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before the limit admits another request.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                },
            };
            operation.Responses["429"] = tooMany;
        }
    }

    private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
    };
}
