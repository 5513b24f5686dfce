using Hangfire.Logging;
using MicrosoftLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// Hangfire logs through one process-wide provider, and its components keep the loggers they get at
/// construction. With Hangfire's own provider, a host that stopped (several test hosts share a process)
/// leaves a disposed ILoggerFactory behind that the next host's Hangfire then writes to and throws on.
/// This bridge looks up a running host's factory at each message instead.
/// </summary>
public sealed class HangfireLogBridge : ILogProvider
{
    public static HangfireLogBridge Instance { get; } = new();

    private readonly Lock gate = new();
    private readonly List<ILoggerFactory> factories = [];

    private HangfireLogBridge()
    {
    }

    /// <summary>Sends Hangfire's messages to <paramref name="factory"/> until the returned handle is disposed.</summary>
    public IDisposable Attach(ILoggerFactory factory)
    {
        lock (gate) factories.Add(factory);
        return new Attachment(this, factory);
    }

    public ILog GetLogger(string name) => new BridgedLog(this, name);

    private ILogger? CurrentLogger(string name)
    {
        ILoggerFactory? factory;
        lock (gate) factory = factories.Count == 0 ? null : factories[^1];
        try
        {
            return factory?.CreateLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return null; // the host is stopping: the message has nowhere to go
        }
    }

    private sealed class Attachment(HangfireLogBridge bridge, ILoggerFactory factory) : IDisposable
    {
        public void Dispose()
        {
            lock (bridge.gate) bridge.factories.Remove(factory);
        }
    }

    private sealed class BridgedLog(HangfireLogBridge bridge, string name) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = bridge.CurrentLogger(name);
            if (logger is null) return false;
            var level = logLevel switch
            {
                Hangfire.Logging.LogLevel.Trace => MicrosoftLogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => MicrosoftLogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => MicrosoftLogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => MicrosoftLogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => MicrosoftLogLevel.Error,
                _ => MicrosoftLogLevel.Critical,
            };
            // Hangfire asks with a null message whether a level is enabled.
            if (messageFunc is null) return logger.IsEnabled(level);
            if (!logger.IsEnabled(level)) return false;
#pragma warning disable CA2254 // Hangfire hands over finished messages, not templates
            logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
            return true;
        }
    }
}
