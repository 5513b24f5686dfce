using System.Collections.Concurrent;
using EmotionApi.Learning.Models;

namespace EmotionApi.Models;

/// <summary>
/// Loaded models shared by concurrent requests: each is loaded once (the first caller loads, the others
/// wait for it) and stays in memory until evicted. A lease keeps an evicted model alive until the
/// predictions that hold it finish; the last one out disposes it.
/// </summary>
public sealed class ModelCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>Loads (once) the model in <paramref name="directory"/> and leases it; dispose the lease when done.</summary>
    /// <exception cref="InvalidModelException">The directory does not hold a loadable model.</exception>
    public ModelLease Acquire(string modelId, string directory)
    {
        while (true)
        {
            var entry = entries.GetOrAdd(modelId, _ => new Entry(directory));
            if (!entry.TryLease()) continue; // evicted between the lookup and the lease: look again
            try
            {
                return new ModelLease(entry.Model.Value, entry);
            }
            catch
            {
                entry.Release();
                // A failed load is not cached: the next request tries again (the file may have been repaired).
                if (entries.TryRemove(new KeyValuePair<string, Entry>(modelId, entry))) entry.Retire();
                throw;
            }
        }
    }

    /// <summary>Forgets a model (deleted from the registry): disposed now, or when its last lease ends.</summary>
    public void Evict(string modelId)
    {
        if (entries.TryRemove(modelId, out var entry)) entry.Retire();
    }

    public void Dispose()
    {
        foreach (var modelId in entries.Keys) Evict(modelId);
    }

    internal sealed class Entry(string directory)
    {
        private readonly Lock gate = new();
        private int leases;
        private bool retired;

        public Lazy<TrainedModel> Model { get; } = new(() => TrainedModel.Load(directory), LazyThreadSafetyMode.ExecutionAndPublication);

        public bool TryLease()
        {
            lock (gate)
            {
                if (retired) return false;
                leases++;
                return true;
            }
        }

        public void Release()
        {
            lock (gate)
            {
                leases--;
                if (retired && leases == 0) DisposeModel();
            }
        }

        public void Retire()
        {
            lock (gate)
            {
                retired = true;
                if (leases == 0) DisposeModel();
            }
        }

        private void DisposeModel()
        {
            // A load that failed (or never started) left nothing to dispose.
            if (Model.IsValueCreated) Model.Value.Dispose();
        }
    }
}
