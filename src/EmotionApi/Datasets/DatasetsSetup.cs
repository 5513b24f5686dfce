using EmotionApi.Learning.Images;
using EmotionApi.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EmotionApi.Datasets;

public static class DatasetsSetup
{
    /// <summary>Options "Datasets", "Datasets:Sample" and "Datasets:Audit", the <see cref="ImageLimits"/> every decode uses, the store, start-up work.</summary>
    public static WebApplicationBuilder AddDatasets(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DatasetsOptions>(DatasetsOptions.Section);
        builder.Services.AddValidatedOptions<SampleDatasetOptions>(SampleDatasetOptions.Section);
        builder.Services.AddValidatedOptions<DatasetAuditOptions>(DatasetAuditOptions.Section);

        // One set of image limits for ingest, training and prediction.
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<DatasetsOptions>>().Value.ToImageLimits());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatasetStore>();
        builder.Services.AddSingleton<DatasetImages>();
        builder.Services.AddHostedService<DatasetsStartup>();
        return builder;
    }
}
