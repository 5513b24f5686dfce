using EmotionApi.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EmotionApi.Datasets;

/// <summary><c>/api/datasets</c>: upload a labelled zip, make the synthetic sample, list, read, delete.</summary>
public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<IOptions<DatasetsOptions>>().Value;
        var api = app.MapGroup("/api/datasets").WithTags("Datasets");

        api.MapPost("", UploadDataset)
            .WithName("UploadDataset")
            .WithSummary("Upload a labelled image dataset (zip)")
            .WithDescription(
                "multipart/form-data with the zip in the field 'file' and an optional 'name'. The zip holds folders named " +
                "Positive and Negative (any case) at its root or under one top folder (the article's 'dataset 50:50/Negative/...'). " +
                "Every image is checked (JPEG, PNG, GIF, BMP, WebP); files that are not usable images, or lie outside the class " +
                "folders, are listed in 'skipped' with the reason. Hostile archives (zip slip, symbolic links, too many entries, " +
                $"zip bombs) are refused whole. Limits: upload {limits.MaxUploadMegabytes} MB, {limits.MaxEntries} entries, " +
                $"{limits.MaxUncompressedMegabytes} MB inflated, compression ratio {limits.MaxCompressionRatio:0.##}, " +
                $"{limits.MaxImageMegabytes} MB and {limits.MaxImageWidth}x{limits.MaxImageHeight} pixels per image.")
            .Accepts<DatasetUploadForm>("multipart/form-data")
            .Produces<DatasetSummary>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new RequestSizeLimitAttribute(limits.MaxUploadBytes + DatasetUploadForm.MultipartOverheadBytes))
            .DisableAntiforgery();

        api.MapPost("/sample", CreateSampleDataset)
            .WithName("CreateSampleDataset")
            .WithSummary("Create the synthetic sample dataset")
            .WithDescription(
                "Smiling (Positive) versus frowning (Negative) cartoon faces with varied colour, size, position, rotation, " +
                "background and noise; the same random seed, count and size give the same images. Every field is optional: " +
                $"count {SampleDatasetRequest.MinCount}-{SampleDatasetRequest.MaxCount} (default {SampleDatasetRequest.DefaultCount}), " +
                $"width and height {SampleDatasetRequest.MinSide}-{SampleDatasetRequest.MaxSide} pixels (default {SampleDatasetRequest.DefaultSide}), " +
                $"seed (default {SampleDatasetRequest.DefaultSeed}), name.")
            .Produces<DatasetSummary>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        api.MapGet("", ListDatasets)
            .WithName("ListDatasets")
            .WithSummary("List datasets, newest first");

        api.MapGet("/{id}", GetDataset)
            .WithName("GetDataset")
            .WithSummary("Read a dataset's summary")
            .WithDescription("Image count per class, share of positives, the naive always-majority accuracy to beat, " +
                             "image size statistics and every skipped file with its reason.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/{id}", DeleteDataset)
            .WithName("DeleteDataset")
            .WithSummary("Delete a dataset")
            .WithDescription("Removes the dataset's images and manifest. 409 while a queued or running training job uses it " +
                             "(cancel the job first); models already trained on it stay.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    public static async Task<Created<DatasetSummary>> UploadDataset(
        HttpRequest request, DatasetStore store, IOptions<DatasetsOptions> options, CancellationToken cancellationToken)
    {
        var workFolder = store.NewWorkFolder();
        try
        {
            var archivePath = Path.Combine(workFolder, "upload.zip");
            var upload = await DatasetUploadForm.ReceiveAsync(request, archivePath, options.Value, cancellationToken);
            var name = upload.Name ?? DatasetNames.FromFileName(upload.FileName);
            // Reading and decoding the archive is CPU-bound work that blocks; keep it off the request's thread.
            var summary = await Task.Run(() => store.ImportArchive(archivePath, name, workFolder, cancellationToken), cancellationToken);
            return TypedResults.Created($"/api/datasets/{summary.Id}", summary);
        }
        finally
        {
            DataFolder.DeleteQuietly(workFolder);
        }
    }

    public static async Task<Created<DatasetSummary>> CreateSampleDataset(
        [FromBody] SampleDatasetRequest? request, DatasetStore store, CancellationToken cancellationToken)
    {
        var (options, name) = (request ?? new SampleDatasetRequest()).Validate();
        var summary = await Task.Run(() => store.CreateSample(options, name, cancellationToken), cancellationToken);
        return TypedResults.Created($"/api/datasets/{summary.Id}", summary);
    }

    public static Ok<IReadOnlyList<DatasetSummary>> ListDatasets(DatasetStore store) => TypedResults.Ok(store.List());

    public static Ok<DatasetSummary> GetDataset(string id, DatasetStore store) =>
        TypedResults.Ok(store.Find(id) ?? throw NotFoundException.For("Dataset", id));

    public static NoContent DeleteDataset(string id, DatasetStore store) =>
        store.Delete(id) ? TypedResults.NoContent() : throw NotFoundException.For("Dataset", id);
}
