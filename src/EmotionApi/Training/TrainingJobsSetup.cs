using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmotionApi.Training;

public static class TrainingJobsSetup
{
    /// <summary>Job records, the queue, Hangfire (storage, the training workers), and the restart recovery.</summary>
    public static WebApplicationBuilder AddTrainingJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TrainingJobsOptions>()
            .BindConfiguration(TrainingJobsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TrainingJobStore>();
        services.AddSingleton<TrainingJobQueue>();
        services.AddSingleton<TrainingSettingsResolver>();
        services.AddSingleton<IJobExecutionLock, InProcessJobExecutionLock>();
        services.AddTransient<TrainingJobRunner>();

        builder.AddHangfireJobStorage();
        builder.AddTrainingWorkers();
        services.AddHostedService<TrainingJobRecovery>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTrainingJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapTrainingJobsEndpoints();
        app.MapJobsDashboard();
        return app;
    }
}
