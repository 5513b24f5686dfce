using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace EmotionApi.Tests.ScaleOut;

/// <summary>
/// The built service run as a process of its own, as a deployment runs it (`dotnet EmotionApi.dll`, settings
/// in environment variables, the Docker image's entry point). Its output is kept for assertion messages; it
/// listens on a port the system picks; disposing kills it with its process tree.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    // Settings the test runner's own environment might carry: a node is configured by the test alone.
    private static readonly string[] InheritedPrefixesToDrop =
        ["Node__", "Hangfire__", "ConnectionStrings__", "Storage__", "Datasets__", "TrainingJobs__", "Prediction__", "Auth__", "RateLimits__", "ASPNETCORE_", "Logging__"];

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock outputGate = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public HttpClient Client { get; private set; } = null!;

    public bool HasExited => process.HasExited;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved, one log entry a line.</summary>
    public string Output
    {
        get
        {
            lock (outputGate) return output.ToString();
        }
    }

    /// <summary>Starts the service and returns once /health/ready answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var dll = BuiltServicePath();
        var start = new ProcessStartInfo(DotnetHost(), [dll, "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(key => InheritedPrefixesToDrop.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList())
            start.Environment.Remove(key);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in settings) start.Environment[key] = value;

        var service = new ServiceProcess(name, new Process { StartInfo = start, EnableRaisingEvents = true });
        service.process.OutputDataReceived += (_, line) => service.Capture(line.Data);
        service.process.ErrorDataReceived += (_, line) => service.Capture(line.Data);
        service.process.Exited += (_, _) => service.listening.TrySetException(
            new InvalidOperationException($"{name} exited before it listened."));
        service.process.Start();
        service.process.BeginOutputReadLine();
        service.process.BeginErrorReadLine();

        try
        {
            var address = await service.listening.Task.WaitAsync(timeout);
            service.Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(100) };
            await service.WaitUntilReadyAsync(timeout);
            return service;
        }
        catch (Exception e)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"{name} did not become ready: {e.Message}\n{service.Describe()}", e);
        }
    }

    /// <summary>Kills the process and its children at once, as a crash or `kill -9` would.</summary>
    public void Kill()
    {
        if (process.HasExited) return;
        // SIGKILL to the service first: walking the process tree takes milliseconds the service would go on working in.
        SendSignal(process.Id, SignalKill);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the process as `docker stop` does: SIGTERM, then waits for the host's graceful shutdown.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (process.HasExited) return;
        if (SendSignal(process.Id, SignalTerminate) != 0)
            throw new InvalidOperationException($"kill(SIGTERM) failed for {Name}: errno {Marshal.GetLastPInvokeError()}");
        await process.WaitForExitAsync().WaitAsync(timeout);
    }

    /// <summary>The name and the captured output, for assertion messages.</summary>
    public string Describe() => $"--- {Name} output ---\n{Output}--- end of {Name} output ---";

    public async ValueTask DisposeAsync()
    {
        Kill();
        // Lets the asynchronous readers drain what the process wrote before it died.
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        Client?.Dispose();
        process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (outputGate) output.AppendLine(line);
        if (ListeningOn().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited) throw new InvalidOperationException($"{Name} exited with code {process.ExitCode}.");
            if (clock.Elapsed > timeout) throw new TimeoutException($"/health/ready did not answer 200 within {timeout}.");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// src/EmotionApi/bin/{configuration}/net10.0/EmotionApi.dll of this checkout, built with the tests (the test
    /// project references the service, so building the tests builds it).
    /// </summary>
    private static string BuiltServicePath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EmotionApi.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException($"No EmotionApi.sln above {AppContext.BaseDirectory}.");
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(directory.FullName, "src", "EmotionApi", "bin", configuration, "net10.0", "EmotionApi.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build EmotionApi.sln).");
    }

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private const int SignalTerminate = 15, SignalKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
