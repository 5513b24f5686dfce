using EmotionApi.Deployment;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmotionApi.Training;

public static class TrainingJobsSetup
{
    /// <summary>
    /// Job records, the queue, Hangfire (storage and execution lock on every node; the training workers on
    /// nodes with the Worker role), and the restart recovery (every node: all of them see the job records).
    /// </summary>
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
        services.AddTransient<TrainingJobRunner>();

        builder.AddHangfireJobStorage();
        if (builder.GetNodeRoles().RunsTrainingWorkers) builder.AddTrainingWorkers();
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
