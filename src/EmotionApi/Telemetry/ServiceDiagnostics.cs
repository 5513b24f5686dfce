using System.Diagnostics;
using System.Reflection;

namespace EmotionApi.Telemetry;

/// <summary>The names the service's own telemetry goes by: one meter and one activity source, both "EmotionApi".</summary>
public static class ServiceDiagnostics
{
    /// <summary>The meter's and the activity source's name (what a collector or <c>AddMeter</c> / <c>AddSource</c> selects).</summary>
    public const string Name = "EmotionApi";

    /// <summary>The service's version, as its assembly states it.</summary>
    public static string Version { get; } =
        typeof(ServiceDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>
    /// The source of the service's own spans (training jobs, epochs, prediction batches). An activity source has no
    /// state of its own (listeners subscribe by name), so one per process serves every host.
    /// </summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);
}
