namespace EmotionApi.Datasets;

public static class DatasetsSetup
{
    public static WebApplicationBuilder AddDatasets(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
