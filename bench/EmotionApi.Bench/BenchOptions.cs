using System.Globalization;

namespace EmotionApi.Bench;

/// <summary>Command line: benchmark names to run (default: the standard set), --quick, --threads N, --images N, --epochs N, --model DIR, --image F, --list.</summary>
internal sealed record BenchOptions(
    IReadOnlyList<string> Names, bool Quick, int? Threads, int? Images, int? Epochs, bool List, bool Help, string? Model = null, string? Image = null)
{
    public const string Usage =
        """
        dotnet run -c Release --project bench/EmotionApi.Bench -- [name ...] [--quick] [--threads N] [--images N] [--epochs N] [--list]

          name        benchmarks to run, in order (default: the standard set; --list shows all)
          --quick     fewer repetitions and sizes: about a third of the time, noisier figures
          --threads N torch intra-op threads (default: the CPUs this process may use)
          --images N  images generated for the full training runs (default: the article's 1,630) and the streaming comparison
          --epochs N  epochs of the full training runs (default: the preset's)
          --model DIR a saved model's folder (serving-inprocess)
          --image F   an image file to classify (serving-inprocess)
          --list      list the benchmarks and exit
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var names = new List<string>();
        bool quick = false, list = false, help = false;
        int? threads = null, images = null, epochs = null;
        string? model = null, image = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--list": list = true; break;
                case "--help" or "-h": help = true; break;
                case "--threads": threads = PositiveInt(args, ++i, "--threads"); break;
                case "--images": images = PositiveInt(args, ++i, "--images"); break;
                case "--epochs": epochs = PositiveInt(args, ++i, "--epochs"); break;
                case "--model": model = Text(args, ++i, "--model"); break;
                case "--image": image = Text(args, ++i, "--image"); break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option {option}.");
                default: names.Add(args[i]); break;
            }
        }
        return new BenchOptions(names, quick, threads, images, epochs, list, help, model, image);
    }

    private static string Text(IReadOnlyList<string> args, int index, string option) =>
        index < args.Count ? args[index] : throw new ArgumentException($"{option} takes a value.");

    private static int PositiveInt(IReadOnlyList<string> args, int index, string option) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{option} takes a positive whole number.");
}
