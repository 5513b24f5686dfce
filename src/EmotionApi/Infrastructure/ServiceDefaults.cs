namespace EmotionApi.Infrastructure;

public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        return app;
    }
}
