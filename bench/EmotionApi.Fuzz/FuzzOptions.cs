using System.Globalization;

namespace EmotionApi.Fuzz;

/// <summary>The command line: seed, number of cases, time bound, per-request timeout, concurrency, a single case to replay.</summary>
internal sealed record FuzzOptions(
    int Seed, int Cases, double Minutes, double TimeoutSeconds, int Concurrency, int? Replay, string FailuresFolder, bool Help)
{
    public const string Usage =
        """
        dotnet run -c Release --project bench/EmotionApi.Fuzz -- [--seed N] [--cases N] [--minutes M] [--timeout S] [--concurrency N] [--case N] [--failures DIR]

          --seed N         the run's seed: the same seed sends the same requests (default 1)
          --cases N        requests to send (default 10000)
          --minutes M      time bound: stop sending after M minutes (default 30)
          --timeout S      per-request timeout in seconds; a request still open after it is a hang (default 30)
          --concurrency N  requests in flight at once (default 2)
          --case N         send only case N of the seed (to reproduce a failure), printing what it is
          --failures DIR   where failing requests are saved (default: fuzz-failures in the current folder)
        """;

    public static FuzzOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FuzzOptions(1, 10_000, 30, 30, 2, null, Path.GetFullPath("fuzz-failures"), false);
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--seed" => options with { Seed = (int)Number(args, ++i, "--seed", 0) },
                "--cases" => options with { Cases = (int)Number(args, ++i, "--cases", 1) },
                "--minutes" => options with { Minutes = Number(args, ++i, "--minutes", 0.1) },
                "--timeout" => options with { TimeoutSeconds = Number(args, ++i, "--timeout", 1) },
                "--concurrency" => options with { Concurrency = (int)Number(args, ++i, "--concurrency", 1) },
                "--case" => options with { Replay = (int)Number(args, ++i, "--case", 0) },
                "--failures" => options with { FailuresFolder = Path.GetFullPath(i + 1 < args.Count ? args[++i] : throw new ArgumentException("--failures takes a folder.")) },
                "--help" or "-h" => options with { Help = true },
                var other => throw new ArgumentException($"Unknown argument {other}."),
            };
        }
        return options;
    }

    private static double Number(IReadOnlyList<string> args, int index, string option, double minimum) =>
        index < args.Count && double.TryParse(args[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new ArgumentException($"{option} takes a number of at least {minimum.ToString(CultureInfo.InvariantCulture)}.");
}
