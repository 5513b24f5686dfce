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
                              "queue a training job, read its metrics, call /api/predict.",
            });
            var xml = Path.Combine(AppContext.BaseDirectory, "EmotionApi.xml");
            if (File.Exists(xml)) swagger.IncludeXmlComments(xml);
        });
        return services;
    }

    /// <summary>The document at <c>/swagger/v1/swagger.json</c>, the UI at <c>/swagger</c>, and <c>/</c> leading to the UI.</summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint(DocumentPath, "EmotionApi v1");
            ui.RoutePrefix = "swagger";
        });
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }
}
