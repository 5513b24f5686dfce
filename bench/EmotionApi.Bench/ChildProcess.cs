using System.Diagnostics;

namespace EmotionApi.Bench;

/// <summary>This benchmark started again in a child process (its own peak memory, its own OpenMP settings), output redirected.</summary>
internal static class ChildProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under `dotnet bench.dll` the process path is the dotnet host, which needs the assembly.
        if (Path.GetFileName(Environment.ProcessPath) is "dotnet" or "dotnet.exe")
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
