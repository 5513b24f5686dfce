using EmotionApi.Learning.IO;
using EmotionApi.Shared;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace EmotionApi.Datasets;

/// <summary>
/// The dataset upload form, <c>multipart/form-data</c> with a zip in the field <c>file</c> and an optional
/// <c>name</c>: its shape for the OpenAPI document, and its reader (<see cref="ReceiveAsync"/>). The endpoint streams
/// the parts itself instead of binding them.
/// </summary>
/// <param name="File">The zip archive: class folders Positive and Negative at its root or under one top folder.</param>
/// <param name="Name">Display name; by default the zip's file name.</param>
public sealed record DatasetUploadForm([property: System.ComponentModel.DataAnnotations.Required] IFormFile File, string? Name)
{
    public const string FileField = "file", NameField = "name";

    /// <summary>Room for the boundaries, part headers and the name field on top of the zip itself.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    private const int MaxNameFieldBytes = 4 * DatasetNames.MaxLength;

    /// <param name="Name">The <c>name</c> field, trimmed; null when absent or blank.</param>
    /// <param name="FileName">The file name the client gave the zip (display only, never a path).</param>
    /// <param name="Bytes">Size of the zip.</param>
    public sealed record Received(string? Name, string? FileName, long Bytes);

    /// <summary>
    /// Streams the zip straight to <paramref name="destination"/> (never the whole upload in memory, never the system
    /// temp folder), counting the bytes against <see cref="DatasetsOptions.MaxUploadMegabytes"/>, so the limit holds
    /// whatever server runs the app (Kestrel enforces it too, from the endpoint's request size metadata).
    /// </summary>
    /// <exception cref="InputTooLargeException">The upload is over the limit.</exception>
    /// <exception cref="InputRefusedException">The body is not readable multipart.</exception>
    /// <exception cref="InsufficientStorageException">The data folder has no room for the zip; what was written of it stays in the caller's work folder.</exception>
    /// <exception cref="ValidationException">No zip, two zips, or a bad name.</exception>
    public static async Task<Received> ReceiveAsync(HttpRequest request, string destination, DatasetsOptions limits,
        CancellationToken cancellationToken)
    {
        // Routing already answered 415 to anything but multipart/form-data (the endpoint's Accepts metadata).
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            ? HeaderUtilities.RemoveQuotes(contentType.Boundary).Value
            : null;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
            throw Malformed("the Content-Type header has no valid multipart boundary.");
        if (request.ContentLength > limits.MaxUploadBytes + MultipartOverheadBytes)
            throw TooLarge(limits);

        var reader = new MultipartReader(boundary, request.Body);
        var budget = limits.MaxUploadBytes;
        string? name = null, fileName = null;
        long? fileBytes = null;
        try
        {
            while (await NextSectionAsync(reader, cancellationToken) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                // IsFileDisposition: form-data with a file name; IsFormDisposition: form-data without one.
                var field = disposition is not null && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                    : null;
                if (disposition is not null && field == FileField && disposition.IsFileDisposition())
                {
                    if (fileBytes is not null) throw new ValidationException(FileField, "Send exactly one zip archive.");
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    await using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                        bufferSize: 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    fileBytes = await CopyAtMostAsync(section.Body, output, budget, cancellationToken);
                    if (fileBytes > budget) throw TooLarge(limits);
                    budget -= fileBytes.Value;
                }
                else if (field == NameField)
                {
                    using var text = new MemoryStream();
                    if (await CopyAtMostAsync(section.Body, text, MaxNameFieldBytes, cancellationToken) > MaxNameFieldBytes)
                        throw new ValidationException(NameField, $"At most {DatasetNames.MaxLength} characters.");
                    name = System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
                }
                else
                {
                    // Unknown parts are ignored, but their bytes count against the limit like any other.
                    var ignored = await CopyAtMostAsync(section.Body, Stream.Null, budget, cancellationToken);
                    if (ignored > budget) throw TooLarge(limits);
                    budget -= ignored;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limits); // Kestrel's own limit, from the endpoint's metadata
        }
        catch (InvalidDataException e)
        {
            throw Malformed(e.Message);
        }
        catch (IOException e) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new OperationCanceledException("The client went away during the upload.", e, request.HttpContext.RequestAborted);
        }
        catch (IOException e) when (DiskSpace.IsExhausted(e))
        {
            throw InsufficientStorageException.NoRoomFor("the uploaded archive", e);
        }

        if (fileBytes is null)
            throw new ValidationException(FileField, $"A zip archive is required in the form field '{FileField}'.");
        if (DatasetNames.Problem(name) is { } nameProblem) throw new ValidationException(NameField, nameProblem);
        return new Received(DatasetNames.Clean(name), fileName, fileBytes.Value);
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (IOException e) when (e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw BodyEndsEarly(e);
        }
    }

    /// <summary>Copies until the source ends or more than <paramref name="maxBytes"/> were seen; returns the count (over the maximum means cut off).</summary>
    private static async Task<long> CopyAtMostAsync(Stream source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await ReadAsync(source, buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes) return total;
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return total;
    }

    private static async Task<int> ReadAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException e) when (e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw BodyEndsEarly(e);
        }
    }

    /// <summary>
    /// MultipartReader's "Unexpected end of Stream": the whole body arrived and stops inside a part or before any
    /// boundary (found by the fuzzing run, docs/fuzzing.md). Reads only: a failed write is the server's. Kestrel's own
    /// refusals (a chunked body over the size limit: 413; a client too slow: 408) are IOExceptions too, and keep their status.
    /// </summary>
    private static InvalidDataException BodyEndsEarly(IOException cause) => new(InputRefusedException.UnclosedMultipartReason, cause);

    private static InputTooLargeException TooLarge(DatasetsOptions limits) =>
        new("Upload too large", $"The upload is larger than the limit of {limits.MaxUploadMegabytes} MB (Datasets:MaxUploadMegabytes).");

    private static InputRefusedException Malformed(string why) => InputRefusedException.MalformedMultipart(why);
}
