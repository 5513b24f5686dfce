using System.Globalization;
using System.Text.RegularExpressions;

namespace EmotionApi.Tests.Telemetry;

/// <summary>A /metrics answer in Prometheus' text format, read as samples: name, labels, value.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> samples = [];

    public PrometheusScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            var match = Sample().Match(line);
            if (!match.Success) throw new FormatException($"Not a Prometheus sample: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(label => label.Groups[1].Value, label => label.Groups[2].Value);
            samples.Add((match.Groups["name"].Value, labels, Number(match.Groups["value"].Value)));
        }
    }

    public string Text { get; }

    private static double Number(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };

    /// <summary>Whether any sample of <paramref name="name"/> is there.</summary>
    public bool Has(string name) => samples.Any(sample => sample.Name == name);

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.GetValueOrDefault(label.Key) == label.Value))
            .Sum(sample => sample.Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex(""""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"""")]
    private static partial Regex Label();
}
