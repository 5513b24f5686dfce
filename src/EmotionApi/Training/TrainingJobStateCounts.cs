using EmotionApi.Telemetry;

namespace EmotionApi.Training;

/// <summary>Jobs by state from the job records (the shared data folder: every node counts every node's jobs).</summary>
internal sealed class TrainingJobStateCounts(TrainingJobStore store) : ITrainingJobCounts
{
    public IReadOnlyDictionary<string, long> CountByState()
    {
        var counts = Enum.GetValues<TrainingJobState>().ToDictionary(Name, _ => 0L);
        foreach (var job in store.List()) counts[Name(job.State)]++;
        return counts;
    }

    /// <summary>The state as the API writes it (camelCase: one word, lower case).</summary>
    private static string Name(TrainingJobState state) => state.ToString().ToLowerInvariant();
}
