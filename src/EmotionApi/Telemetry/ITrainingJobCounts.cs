namespace EmotionApi.Telemetry;

/// <summary>Training jobs by state, for the <c>emotionapi.training.job.count</c> gauge (the Training feature provides it).</summary>
public interface ITrainingJobCounts
{
    /// <summary>Jobs in each state (lower-case state names), as the job records say now.</summary>
    IReadOnlyDictionary<string, long> CountByState();
}
