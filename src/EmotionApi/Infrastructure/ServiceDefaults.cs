using System.Text.Json;
using System.Text.Json.Serialization;
using EmotionApi.Learning;
using EmotionApi.Learning.Networks;
using EmotionApi.Storage;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace EmotionApi.Infrastructure;

public static class ServiceDefaults
{
    /// <summary>Options, JSON, problem details, OpenAPI and the data folder: what every feature relies on.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var root = Path.Combine(builder.Environment.ContentRootPath, options.DataPath);
            return new DataFolder(root);
        });

        builder.Services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        builder.Services.AddSingleton(services =>
            services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

        // Malformed bodies and parameters throw BadHttpRequestException in every environment, so the
        // exception handler answers a 400 problem that says what was wrong (not an empty 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

        builder.Services.AddServiceHealthChecks();

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
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
        return builder;
    }

    /// <summary>camelCase names, enums as camelCase strings, and +/-Infinity allowed (the ROC curve's first threshold).</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        json.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
    }

    /// <summary>
    /// Torch's process-wide settings (passive OpenMP waits, threads = the CPUs this process may use, or
    /// <c>Torch:Threads</c>), applied before anything touches torch; or one clear line saying why torch
    /// cannot load. The API keeps serving datasets either way. Every node role calls it first.
    /// </summary>
    public static void ConfigureTorch(WebApplication app)
    {
        try
        {
            var settings = TorchPerformance.Configure(app.Configuration.GetValue<int?>("Torch:Threads"));
            app.Logger.LogInformation("Torch ready: {Threads} threads, OpenMP wait policy {WaitPolicy}", settings.Threads, settings.WaitPolicy);
        }
        catch (TorchUnavailableException e)
        {
            app.Logger.LogCritical("Training and prediction are unavailable: {Problem}", e.Message);
        }
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        ConfigureTorch(app);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/swagger/v1/swagger.json", "EmotionApi v1");
            ui.RoutePrefix = "swagger";
        });
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        app.MapServiceHealthChecks();
        return app;
    }
}
