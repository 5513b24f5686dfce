namespace EmotionApi.Training;

/// <summary>URLs of a job's results.</summary>
public sealed record TrainingJobLinks(string Self, string History, string Evaluation, string Roc, string? Model)
{
    public static TrainingJobLinks For(TrainingJob job)
    {
        var self = $"/api/training-jobs/{job.Id}";
        return new TrainingJobLinks(self, $"{self}/history", $"{self}/evaluation", $"{self}/roc",
            job.ModelId is { } modelId ? $"/api/models/{modelId}" : null);
    }
}
