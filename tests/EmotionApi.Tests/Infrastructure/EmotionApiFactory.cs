using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmotionApi.Tests.Infrastructure;

/// <summary>
/// The service in-process, on its embedded defaults (InMemory jobs), with its own empty data folder.
/// One instance is shared by the tests of the "api" collection; extra settings can be given per
/// instance (for example a second host on the same data folder, to test a restart).
/// </summary>
public class EmotionApiFactory : WebApplicationFactory<Program>
{
    /// <summary>A data folder of its own; set before first use to share one with another host.</summary>
    public string DataPath { get; init; } = NewDataFolder();

    /// <summary>Configuration on top of appsettings (keys as in appsettings.json, ':' separated).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Services added after the service's own (an in-memory telemetry exporter, for example).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    public static string NewDataFolder() =>
        Path.Combine(Path.GetTempPath(), "emotionapi-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The host's environment: "Testing" (neither Development nor Production) unless a test needs one of those.</summary>
    public string Environment { get; init; } = "Testing";

    /// <summary>Receives the host's log entries too, when set (at the levels the settings give).</summary>
    public ILoggerProvider? LogCapture { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        if (LogCapture is { } capture) builder.ConfigureLogging(logging => logging.AddProvider(capture));
        builder.UseSetting("Storage:DataPath", DataPath);
        // appsettings.json draws a sample dataset at start-up for `dotnet run`; tests make their own.
        builder.UseSetting("Datasets:Sample:CreateOnStartup", "false");
        // Training threads keep their priority: test hosts share a machine with other processes, and a lower priority
        // (the service's default, for a node that also serves predictions) would only slow the tests down.
        builder.UseSetting("TrainingJobs:Niceness", "0");
        // Outside Development the service refuses to start without API keys: hosts that test features, not
        // security, run open on purpose (the security tests configure keys, or leave them out, themselves).
        if (!Settings.Keys.Any(key => key.StartsWith("Auth:", StringComparison.Ordinal))) builder.UseSetting("Auth:Mode", "None");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (ExtraServices is { } extra) builder.ConfigureServices(extra);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataPath))
        {
            try { Directory.Delete(DataPath, recursive: true); } catch (IOException) { }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<EmotionApiFactory>
{
    public const string Name = "api";
}
