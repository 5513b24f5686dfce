using System.Collections.Concurrent;
using System.Text;

namespace EmotionApi.Fuzz;

/// <summary>Counts by endpoint, mutation family and answer; the failures; printed as markdown tables for docs/fuzzing.md.</summary>
internal sealed class FuzzReport
{
    private readonly ConcurrentDictionary<(string Endpoint, string Kind, string Label), int> counts = new();
    private readonly ConcurrentQueue<(FuzzCase Case, Outcome Outcome)> failures = new();
    private readonly ConcurrentQueue<double> seconds = new();
    private int withoutProblem;

    public int Sent => counts.Values.Sum();
    public IReadOnlyCollection<(FuzzCase Case, Outcome Outcome)> Failures => failures;

    public void Record(FuzzCase fuzzCase, Outcome outcome)
    {
        counts.AddOrUpdate((fuzzCase.Endpoint, fuzzCase.Kind, outcome.Label), 1, (_, count) => count + 1);
        seconds.Enqueue(outcome.Seconds);
        if (outcome.Status is >= 400 and < 500 && !outcome.Problem) Interlocked.Increment(ref withoutProblem);
        if (outcome.Failure is not null) failures.Enqueue((fuzzCase, outcome));
    }

    public string Render()
    {
        var text = new StringBuilder();
        var labels = counts.Keys.Select(key => key.Label).Distinct().OrderBy(label => label, StringComparer.Ordinal).ToArray();
        text.AppendLine($"| endpoint | requests | {string.Join(" | ", labels)} |");
        text.AppendLine($"| --- | ---: | {string.Join(" | ", labels.Select(_ => "---:"))} |");
        foreach (var endpoint in counts.Keys.Select(key => key.Endpoint).Distinct().Order(StringComparer.Ordinal))
            text.AppendLine(Row(endpoint, key => key.Endpoint == endpoint, labels));
        text.AppendLine(Row("**all**", _ => true, labels));
        text.AppendLine();
        text.AppendLine($"| endpoint, mutation | requests | {string.Join(" | ", labels)} |");
        text.AppendLine($"| --- | ---: | {string.Join(" | ", labels.Select(_ => "---:"))} |");
        foreach (var (endpoint, kind) in counts.Keys.Select(key => (key.Endpoint, key.Kind)).Distinct().OrderBy(pair => pair.Endpoint).ThenBy(pair => pair.Kind, StringComparer.Ordinal))
            text.AppendLine(Row($"{endpoint} {kind}", key => key.Endpoint == endpoint && key.Kind == kind, labels));
        var sorted = seconds.Order().ToArray();
        if (sorted.Length > 0)
            text.AppendLine().AppendLine($"Answer times: median {Milliseconds(sorted[sorted.Length / 2])}, p99 {Milliseconds(sorted[(int)(sorted.Length * 0.99)])}, " +
                                         $"max {Milliseconds(sorted[^1])}. 4xx answers without problem details: {withoutProblem}.");
        return text.ToString();
    }

    private string Row(string name, Func<(string Endpoint, string Kind, string Label), bool> filter, IEnumerable<string> labels)
    {
        var selected = counts.Where(pair => filter(pair.Key)).ToArray();
        var cells = labels.Select(label => selected.Where(pair => pair.Key.Label == label).Sum(pair => pair.Value)).Select(count => count == 0 ? "" : count.ToString("N0"));
        return $"| {name} | {selected.Sum(pair => pair.Value):N0} | {string.Join(" | ", cells)} |";
    }

    private static string Milliseconds(double seconds) => $"{seconds * 1000:F0} ms";
}
