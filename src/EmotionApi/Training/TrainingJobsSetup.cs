namespace EmotionApi.Training;

public static class TrainingJobsSetup
{
    public static WebApplicationBuilder AddTrainingJobs(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapTrainingJobsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
