using System.Collections;
using System.Diagnostics;

namespace EmotionApi.Tests.Telemetry;

/// <summary>
/// Spans an in-memory exporter hands over, safe to read while requests and training threads still export. Activity
/// sources are process-wide: spans of other test hosts arrive here too, so tests pick theirs by id.
/// </summary>
public sealed class ExportedSpans : ICollection<Activity>
{
    private readonly List<Activity> spans = [];

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (spans) return spans.ToList();
    }

    public void Add(Activity item)
    {
        lock (spans) spans.Add(item);
    }

    public void Clear()
    {
        lock (spans) spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (spans) return spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (spans) spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (spans) return spans.Remove(item);
    }

    public int Count
    {
        get { lock (spans) return spans.Count; }
    }

    public bool IsReadOnly => false;

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
