using System.Diagnostics.Metrics;
using EmotionApi.Deployment;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EmotionApi.Telemetry;

/// <summary>
/// OpenTelemetry for every node: the service's own meter and spans, ASP.NET Core, HttpClient, the .NET runtime and
/// Npgsql (PostgreSQL, when it is the job storage); metrics scraped by Prometheus at <see cref="MetricsPath"/>, and
/// everything (logs too) pushed by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The Prometheus scraping endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The service's name in every signal unless <c>OTEL_SERVICE_NAME</c> gives another.</summary>
    public const string DefaultServiceName = "emotionapi";

    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PredictionTelemetry>();
        builder.Services.AddSingleton<TrainingTelemetry>();
        builder.Services.AddSingleton<UploadTelemetry>();

        var configuration = builder.Configuration;
        var roles = builder.GetNodeRoles();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName, serviceVersion: ServiceDiagnostics.Version)
                .AddAttributes([new("emotionapi.node.roles", roles.ToString())]))
            .WithMetrics(metrics => metrics
                .AddMeter(ServiceDiagnostics.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(ServiceDiagnostics.Name)
                // Scrapes and probes every few seconds would bury the requests people look for.
                .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                    !context.Request.Path.StartsWithSegments(MetricsPath) && !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql());

        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
            metrics.AddView(OnlyThisHost(services.GetRequiredService<IMeterFactory>())));
        // The exporter reads the endpoint, protocol, headers and timeout from the standard OTEL_EXPORTER_OTLP_* settings.
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable])) telemetry.UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// Drops the instruments of meters another host's factory made. OpenTelemetry selects meters by name, process-wide:
    /// without this, hosts sharing a process (the tests' do) would report one another's measurements. Meters no factory
    /// made (the runtime's, Npgsql's) are the process's and stay.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHost(IMeterFactory ours) =>
        instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, ours) ? MetricStreamConfiguration.Drop : null;

    /// <summary>
    /// The Prometheus endpoint, and the service's instruments created now so that a scrape shows them (at zero)
    /// before the first prediction, upload or job.
    /// </summary>
    public static IEndpointConventionBuilder MapMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<PredictionTelemetry>();
        app.Services.GetRequiredService<TrainingTelemetry>();
        app.Services.GetRequiredService<UploadTelemetry>();
        return app.MapPrometheusScrapingEndpoint(MetricsPath);
    }
}
