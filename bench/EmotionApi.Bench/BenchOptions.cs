using System.Globalization;

namespace EmotionApi.Bench;

/// <summary>
/// Command line: benchmark names to run (default: the standard set), --quick, --threads N, --images N, --epochs N, --list,
/// --model DIR and --image F (serving-inprocess), and the model-quality benchmark's options (--preset, --seeds, --set,
/// --label, --tuning, --data-seed; --seed and --data for its child runs).
/// </summary>
internal sealed record BenchOptions(IReadOnlyList<string> Names, bool Quick, int? Threads, int? Images, int? Epochs, bool List, bool Help)
{
    public const string Usage =
        """
        dotnet run -c Release --project bench/EmotionApi.Bench -- [name ...] [--quick] [--threads N] [--images N] [--epochs N] [--list]

          name          benchmarks to run, in order (default: the standard set; --list shows all)
          --quick       fewer repetitions and sizes: about a third of the time, noisier figures
          --threads N   torch intra-op threads (default: the CPUs this process may use)
          --images N    images generated for the full training runs (default: the article's 1,630) and the streaming
                        comparison, or the training styles' images of the quality benchmark (default: 300)
          --epochs N    epochs of the full training runs (default: the preset's)
          --model DIR   a saved model's folder (serving-inprocess)
          --image F     an image file to classify (serving-inprocess)
          --list        list the benchmarks and exit

        quality (docs/model-quality.md):
          --preset P    a preset to measure; repeat for several (default: seed-baseline, default, pretrained, pretrained-frozen)
          --seeds A,B   run seeds (default: 21,1,2)
          --set F=V     override a training setting of every preset measured: learningRate=0.002, augmentation.zoom=0.2
          --label L     the variant's name in the table (default: the preset's)
          --tuning      score the validation styles only: the test styles are neither generated nor scored
          --data-seed N seed of the generated faces (default: 1)
        """;

    public IReadOnlyList<string> Presets { get; init; } = [];
    public IReadOnlyList<int> Seeds { get; init; } = [];
    public IReadOnlyList<string> Overrides { get; init; } = [];
    public string? Label { get; init; }
    public bool Tuning { get; init; }
    public int DataSeed { get; init; } = 1;
    /// <summary>A child run's seed and generated data (the quality benchmark passes them).</summary>
    public int? Seed { get; init; }
    public string? DataDirectory { get; init; }
    /// <summary>A saved model's folder and an image for serving-inprocess.</summary>
    public string? Model { get; init; }
    public string? Image { get; init; }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var names = new List<string>();
        var presets = new List<string>();
        var overrides = new List<string>();
        IReadOnlyList<int> seeds = [];
        bool quick = false, list = false, help = false, tuning = false;
        int? threads = null, images = null, epochs = null, seed = null;
        var dataSeed = 1;
        string? label = null, data = null, model = null, image = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--list": list = true; break;
                case "--help" or "-h": help = true; break;
                case "--tuning": tuning = true; break;
                case "--threads": threads = PositiveInt(args, ++i, "--threads"); break;
                case "--images": images = PositiveInt(args, ++i, "--images"); break;
                case "--data-seed": dataSeed = PositiveInt(args, ++i, "--data-seed"); break;
                case "--seed": seed = Int(Value(args, ++i, "--seed"), "--seed"); break;
                case "--seeds": seeds = Value(args, ++i, "--seeds").Split(',').Select(part => Int(part, "--seeds")).ToArray(); break;
                case "--preset": presets.Add(Value(args, ++i, "--preset")); break;
                case "--set": overrides.Add(Value(args, ++i, "--set")); break;
                case "--label": label = Value(args, ++i, "--label"); break;
                case "--data": data = Value(args, ++i, "--data"); break;
                case "--epochs": epochs = PositiveInt(args, ++i, "--epochs"); break;
                case "--model": model = Value(args, ++i, "--model"); break;
                case "--image": image = Value(args, ++i, "--image"); break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option {option}.");
                default: names.Add(args[i]); break;
            }
        }
        return new BenchOptions(names, quick, threads, images, epochs, list, help)
        {
            Presets = presets, Seeds = seeds, Overrides = overrides, Label = label, Tuning = tuning, DataSeed = dataSeed, Seed = seed, DataDirectory = data,
            Model = model, Image = image,
        };
    }

    private static string Value(IReadOnlyList<string> args, int index, string option) =>
        index < args.Count ? args[index] : throw new ArgumentException($"{option} takes a value.");

    private static int Int(string text, string option) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{option} takes whole numbers.");

    private static int PositiveInt(IReadOnlyList<string> args, int index, string option) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{option} takes a positive whole number.");
}
