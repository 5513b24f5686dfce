using EmotionApi.Http.Security;
using Microsoft.OpenApi;

namespace EmotionApi.Http;

/// <summary>The OpenAPI document (Swashbuckle) and the Swagger UI: written from the endpoints' own metadata and XML comments.</summary>
public static class ApiDocumentation
{
    private const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "EmotionApi",
                Version = "v1",
                Description = "Train and serve image classifiers of emotion (positive / negative): upload a labelled dataset, " +
                              "queue a training job, read its metrics, call /api/predict. A deployment asks for an API key, sent as " +
                              "'X-Api-Key: <key>' or 'Authorization: Bearer <key>' (the Authorize button here); each operation " +
                              "names the roles (admin, trainer, predictor) that may call it.",
            });
            var xml = Path.Combine(AppContext.BaseDirectory, "EmotionApi.xml");
            if (File.Exists(xml)) swagger.IncludeXmlComments(xml);

            // Relative to the document: the service wherever it is deployed.
            swagger.AddServer(new OpenApiServer { Url = "/", Description = "This service" });
            swagger.SupportNonNullableReferenceTypes();
            SecurityOperationFilter.AddSchemes(swagger);
            swagger.OperationFilter<SecurityOperationFilter>();
            swagger.DocumentFilter<ResponseSchemasFilter>();
            swagger.DocumentFilter<TagDescriptionsFilter>();
            swagger.OperationFilter<DocumentedExamplesFilter>();
        });
        return services;
    }

    /// <summary>The document at <c>/swagger/v1/swagger.json</c> and the UI at <c>/swagger</c> (the web page has <c>/</c>).</summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint(DocumentPath, "EmotionApi v1");
            ui.RoutePrefix = "swagger";
        });
        return app;
    }
}
