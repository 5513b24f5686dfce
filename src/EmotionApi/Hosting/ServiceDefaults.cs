using EmotionApi.Http;
using EmotionApi.Http.Security;
using EmotionApi.Shared;
using EmotionApi.Telemetry;
using Microsoft.Extensions.Options;

namespace EmotionApi.Hosting;

/// <summary>What every node has, whatever its roles, and the HTTP pipelines of an API node and of a worker node.</summary>
public static class ServiceDefaults
{
    /// <summary>
    /// Options, JSON, problem details, OpenAPI, the data folder, its free space and its sweeper, health checks, request
    /// timeouts, telemetry and torch's settings.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var root = Path.Combine(builder.Environment.ContentRootPath, options.DataPath);
            return new DataFolder(root);
        });
        builder.Services.AddSingleton<FreeSpace>();
        builder.Services.AddHostedService<StaleFileSweeper>();

        builder.Services.ConfigureHttpJsonOptions(json => JsonConventions.Apply(json.SerializerOptions));
        builder.Services.AddSingleton(services =>
            services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

        // Malformed bodies and parameters throw BadHttpRequestException in every environment, so the
        // exception handler answers a 400 problem that says what was wrong (not an empty 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

        builder.Services.AddServiceHealthChecks();
        builder.Services.AddApiDocumentation();
        builder.Services.AddRequestTimeouts();
        builder.AddServiceTelemetry();
        builder.AddTorch();
        return builder;
    }

    /// <summary>
    /// An API node's pipeline before the feature endpoints: every node's, the OpenAPI document (open to all), then who
    /// may call (keys, roles, rate limits) and the endpoints' request timeouts; its metrics for admin keys (open
    /// when the service runs without keys).
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseEveryNodeDefaults().UseApiDocumentation().UseApiSecurity();
        app.UseRequestTimeouts();
        app.MapMetrics().RequireAuthorization(ApiPolicies.Admin);
        return app;
    }

    /// <summary>
    /// A worker-only node's HTTP surface: every node's and its metrics, nothing else, so a worker never accepts uploads
    /// or serves predictions. A worker has no keys: its port, like its probes, is for the deployment's own network.
    /// </summary>
    public static WebApplication UseWorkerNodeDefaults(this WebApplication app)
    {
        app.UseEveryNodeDefaults().MapMetrics();
        return app;
    }

    /// <summary>Torch's settings first, errors answered as problem details, the health probes.</summary>
    private static WebApplication UseEveryNodeDefaults(this WebApplication app)
    {
        app.UseTorch();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapServiceHealthChecks();
        return app;
    }
}
