using EmotionApi.Http;
using EmotionApi.Http.Security;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Data;
using EmotionApi.Shared;
using EmotionApi.Telemetry;
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
        var api = app.MapGroup("/api/datasets").WithTags("Datasets").RequireAuthorization(ApiPolicies.Train);

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
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithMetadata(new RequestSizeLimitAttribute(limits.MaxUploadBytes + DatasetUploadForm.MultipartOverheadBytes))
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicies.Uploads);

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
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .RequireRateLimiting(RateLimitPolicies.Uploads);

        api.MapGet("", ListDatasets)
            .WithName("ListDatasets")
            .WithSummary("List datasets, newest first");

        api.MapGet("/{id}", GetDataset)
            .WithName("GetDataset")
            .WithSummary("Read a dataset's summary")
            .WithDescription("Image count per class, share of positives, the naive always-majority accuracy to beat, " +
                             "image size statistics and every skipped file with its reason.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/images", ListImages)
            .WithName("ListDatasetImages")
            .WithSummary("List a dataset's images, a page at a time")
            .WithDescription("The accepted images in the dataset's order, optionally of one class ('positive' or 'negative'), from " +
                             $"'offset' (default 0), at most 'limit' (default 48, at most {DatasetImages.MaxPageSize}), each with the URLs " +
                             "of its file and its thumbnail.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/images/{index:int}", GetImage)
            .WithName("GetDatasetImage")
            .WithSummary("One image of a dataset, as stored")
            .WithDescription("The file as uploaded, with the media type its header proved. A dataset never changes: the answer may be " +
                             "cached for good.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/images/{index:int}/thumbnail", GetThumbnail)
            .WithName("GetDatasetImageThumbnail")
            .WithSummary("A small JPEG of one image of a dataset")
            .WithDescription($"Longest side 'size' pixels ({DatasetImages.MinThumbnailSide}-{DatasetImages.MaxThumbnailSide}, default " +
                             $"{DatasetImages.DefaultThumbnailSide}; never larger than the image), aspect ratio kept, transparency on white. " +
                             "Cached by the service and, for good, by the client.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "image/jpeg")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}/audit", GetAudit)
            .WithName("GetDatasetAudit")
            .WithSummary("Near duplicates and label conflicts among a dataset's images")
            .WithDescription(
                "Groups of near-identical images found by their 64-bit perceptual hashes (computed at upload): 'labelConflicts' " +
                "hold the same picture labelled both Positive and Negative, 'duplicates' copies within one class. Two images " +
                "are near when their hashes differ in at most 'nearDistance' bits (Datasets:Audit:NearDistance); a group is a " +
                "chain of near pairs, and 'maxDistance' is the largest distance between two of its images (0: identical " +
                "hashes). A dataset uploaded before hashes were computed has its images hashed on the first request (seconds " +
                "for a few thousand images), once. 404 for an unknown dataset.")
            .Produces<DatasetAuditView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new DocumentedExample("a label conflict and a duplicate", AuditExample, StatusCodes.Status200OK));

        api.MapDelete("/{id}", DeleteDataset)
            .WithName("DeleteDataset")
            .WithSummary("Delete a dataset")
            .WithDescription("Removes the dataset's images and manifest. 409 while a queued or running training job uses it " +
                             "(cancel the job first); models already trained on it stay.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static readonly DatasetAuditView AuditExample = new(
        "3f6c2a9b0d1e4f5a8b7c6d5e4f3a2b1c", 1630, 10, 1, 1,
        [new DuplicateGroup([new AuditedImage("dataset 50:50/Positive/snake-17.jpg", EmotionClass.Positive),
            new AuditedImage("dataset 50:50/Negative/snake-03.jpg", EmotionClass.Negative)], 4)],
        [new DuplicateGroup([new AuditedImage("dataset 50:50/Positive/beach-2.jpg", EmotionClass.Positive),
            new AuditedImage("dataset 50:50/Positive/beach-2 (copy).jpg", EmotionClass.Positive)], 0)]);

    public static async Task<Created<DatasetSummary>> UploadDataset(
        HttpRequest request, DatasetStore store, FreeSpace space, UploadTelemetry telemetry, IOptions<DatasetsOptions> options,
        CancellationToken cancellationToken)
    {
        long bytes = 0;
        string? workFolder = null;
        try
        {
            // The zip stays under tmp/ while its images are written beside it: room for both.
            space.EnsureRoomFor(2 * (request.ContentLength ?? 0), "this upload and its images");
            workFolder = store.NewWorkFolder();
            var archivePath = Path.Combine(workFolder, "upload.zip");
            var upload = await DatasetUploadForm.ReceiveAsync(request, archivePath, options.Value, cancellationToken);
            bytes = upload.Bytes;
            var name = upload.Name ?? DatasetNames.FromFileName(upload.FileName);
            // Reading and decoding the archive is CPU-bound work that blocks; keep it off the request's thread.
            var summary = await Task.Run(() => store.ImportArchive(archivePath, name, workFolder, cancellationToken), cancellationToken);
            telemetry.RecordStored(bytes, summary.ImageCount, summary.SkippedCount);
            return TypedResults.Created($"/api/datasets/{summary.Id}", summary);
        }
        catch (ServiceException e)
        {
            telemetry.RecordRefused(bytes > 0 ? bytes : request.ContentLength ?? 0, e.Title);
            throw;
        }
        finally
        {
            if (workFolder is not null) DataFolder.DeleteQuietly(workFolder);
        }
    }

    public static async Task<Created<DatasetSummary>> CreateSampleDataset(
        [FromBody] SampleDatasetRequest? request, DatasetStore store, FreeSpace space, CancellationToken cancellationToken)
    {
        var (options, name) = (request ?? new SampleDatasetRequest()).Validate();
        // Raw RGB bytes: more than the PNG files take.
        space.EnsureRoomFor((long)options.Count * options.Width * options.Height * 3, "the sample dataset");
        var summary = await Task.Run(() => store.CreateSample(options, name, cancellationToken), cancellationToken);
        return TypedResults.Created($"/api/datasets/{summary.Id}", summary);
    }

    public static Ok<IReadOnlyList<DatasetSummary>> ListDatasets(DatasetStore store) => TypedResults.Ok(store.List());

    public static Ok<DatasetSummary> GetDataset(string id, DatasetStore store) =>
        TypedResults.Ok(store.Find(id) ?? throw NotFoundException.For("Dataset", id));

    public static async Task<Ok<DatasetAuditView>> GetAudit(string id, DatasetStore store)
    {
        var summary = store.Find(id) ?? throw NotFoundException.For("Dataset", id);
        // Hashing a dataset of the previous version reads every image: CPU work, off the request's thread. Not
        // cancelled with the request: other requests may be waiting for the same pass, and its hashes are kept.
        var audit = await Task.Run(() => store.Audit(id)) ?? throw NotFoundException.For("Dataset", id);
        return TypedResults.Ok(DatasetAuditView.Of(id, summary.ImageCount, audit));
    }

    public static Ok<DatasetImagePage> ListImages(string id, [FromQuery(Name = "class")] string? imageClass, int? offset, int? limit, DatasetImages images)
    {
        EmotionClass? label = null;
        if (!string.IsNullOrEmpty(imageClass))
        {
            label = Enum.TryParse<EmotionClass>(imageClass, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new ValidationException("class", $"class must be 'positive' or 'negative', not '{imageClass}'.");
        }
        return TypedResults.Ok(images.List(id, label, offset ?? 0, limit ?? 48));
    }

    public static IResult GetImage(string id, int index, HttpContext context, DatasetImages images)
    {
        images.Describe(id, index); // 404 before any 304: a deleted dataset's image is gone
        return ConditionalContent.Send(context, $"\"{id}-{index}\"", ConditionalContent.Immutable, () => images.Original(id, index));
    }

    public static IResult GetThumbnail(string id, int index, int? size, HttpContext context, DatasetImages images)
    {
        var side = size ?? DatasetImages.DefaultThumbnailSide;
        DatasetImages.CheckThumbnailSide(side);
        images.Describe(id, index);
        return ConditionalContent.Send(context, $"\"{id}-{index}-{side}\"", ConditionalContent.Immutable,
            () => (images.Thumbnail(id, index, side), "image/jpeg"));
    }

    public static NoContent DeleteDataset(string id, DatasetStore store) =>
        store.Delete(id) ? TypedResults.NoContent() : throw NotFoundException.For("Dataset", id);
}
