using EmotionApi.Datasets;
using EmotionApi.Shared;
using EmotionApi.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmotionApi.Training;

public static class TrainingJobsSetup
{
    /// <summary>
    /// Options "TrainingJobs", job records, the queue, the settings resolver and the runner; and the check that keeps
    /// a dataset from being deleted under an unfinished job. The job system that carries jobs to workers
    /// (<see cref="ITrainingJobDispatcher"/>) comes from the background jobs' setup.
    /// </summary>
    public static WebApplicationBuilder AddTrainingJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<TrainingJobsOptions>(TrainingJobsOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TrainingJobStore>();
        services.AddSingleton<TrainingJobQueue>();
        services.AddSingleton<TrainingSettingsResolver>();
        services.AddSingleton<IDatasetInUseCheck, UnfinishedJobsDatasetCheck>();
        services.AddTransient<TrainingJobRunner>();
        services.AddSingleton<ITrainingJobCounts, TrainingJobStateCounts>();
        return builder;
    }
}
