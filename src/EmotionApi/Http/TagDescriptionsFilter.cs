using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EmotionApi.Http;

/// <summary>A description for each tag the endpoints use (Swagger UI shows it under the tag's name). A feature's new tag gets its line here.</summary>
public sealed class TagDescriptionsFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["Datasets"] = "Labelled image datasets: upload a zip with Positive/ and Negative/ folders, or make the synthetic sample; " +
                       "list, read (class balance, the accuracy to beat, skipped files) and delete them.",
        ["Training jobs"] = "Queue a training run on a dataset, follow its progress, read its history, evaluation and ROC curve, cancel it.",
        ["Models"] = "The models training produced: manifests, results, downloads; the default model that predictions use.",
        ["Prediction"] = "Classify images as Positive or Negative with a trained model.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var used = context.ApiDescriptions
            .SelectMany(api => api.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>())
            .SelectMany(tags => tags.Tags)
            .Distinct()
            .Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Select(tag => new OpenApiTag
        {
            Name = tag, Description = Descriptions.GetValueOrDefault(tag),
        }));
    }
}
