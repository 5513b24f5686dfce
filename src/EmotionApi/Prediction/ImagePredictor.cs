using System.Diagnostics;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Models;
using EmotionApi.Shared;
using EmotionApi.Telemetry;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary>
/// Classifies images with a registered model: the same preparation as training (<see cref="ImageCodec.Prepare"/>
/// at the model's input size) on the request's thread, then the forward pass, shared with concurrent requests for the
/// same model (<see cref="PredictionBatcher"/>); each bad image fails alone.
/// </summary>
public sealed class ImagePredictor(
    ModelRegistry registry,
    ImageLimits limits,
    PredictionBatcher batcher,
    PredictionTelemetry telemetry,
    IOptions<PredictionOptions> options)
{
    /// <summary>An image read for prediction: its name and bytes, or why it was not read.</summary>
    private sealed record Upload(string FileName, byte[]? Content, string? Problem, bool TooLarge = false);

    /// <summary>
    /// Classifies <paramref name="images"/>, in order, with the model named or the default one. Images that cannot be
    /// used get an error each while the others are answered.
    /// </summary>
    /// <exception cref="ValidationException">No image, more than <see cref="PredictionOptions.MaxFiles"/>, or no usable image at all (each named).</exception>
    /// <exception cref="InputTooLargeException">Every image is over <see cref="PredictionOptions.MaxFileBytes"/>.</exception>
    /// <exception cref="NotFoundException">No model has the id <paramref name="modelId"/>.</exception>
    /// <exception cref="ConflictException">No model has been trained yet.</exception>
    /// <exception cref="UnavailableException">The model's files no longer load.</exception>
    public async Task<PredictionResponse> PredictAsync(string? modelId, IReadOnlyList<PredictionImage> images, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await ClassifyAsync(modelId, images, cancellationToken);
            var rejected = response.Results.Count(result => result.Error is not null);
            telemetry.RecordAnswered(response.Results.Count - rejected, rejected, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (ServiceException e)
        {
            var rejected = e is ValidationException { Errors: { } errors } && errors.Keys.All(key => key.StartsWith("files[", StringComparison.Ordinal)) ? errors.Count : 0;
            telemetry.RecordRefused(e.GetType().FullName!, rejected, Stopwatch.GetElapsedTime(started));
            throw;
        }
        catch (Exception e)
        {
            // Cancelled (the request timeout, answered 503, or the client gone) or a failure of the service's own: counted too.
            telemetry.RecordRefused(e is OperationCanceledException ? "cancelled" : e.GetType().FullName!, 0, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private async Task<PredictionResponse> ClassifyAsync(string? modelId, IReadOnlyList<PredictionImage> images, CancellationToken cancellationToken)
    {
        var limit = options.Value;
        if (images.Count == 0)
            throw new ValidationException("files", "Send one or more images as multipart/form-data in the field 'files' (or 'file').");
        if (images.Count > limit.MaxFiles)
            throw new ValidationException("files", $"At most {limit.MaxFiles} images per request; got {images.Count}.");

        var model = registry.NamedOrDefault(modelId);
        var uploads = new List<Upload>(images.Count);
        foreach (var image in images) uploads.Add(await ReadAsync(image, limit.MaxFileBytes, cancellationToken));

        var response = await PredictAsync(model, uploads, cancellationToken);
        if (response.Results.Any(result => result.Error is null)) return response;

        var errors = response.Results
            .Select((result, index) => (Key: $"files[{index}]", Message: $"{result.FileName}: {result.Error}"))
            .ToDictionary(pair => pair.Key, pair => new[] { pair.Message });
        if (uploads.All(upload => upload.TooLarge))
            throw new InputTooLargeException("Image too large", string.Join(" ", errors.Values.Select(messages => messages[0])), errors);
        throw new ValidationException(errors);
    }

    private static async Task<Upload> ReadAsync(PredictionImage image, long maxBytes, CancellationToken cancellationToken)
    {
        if (image.Length > maxBytes)
            return new Upload(image.FileName, null, $"The file has {image.Length} bytes; the limit is {maxBytes}.", TooLarge: true);
        if (image.Length == 0) return new Upload(image.FileName, null, "The file is empty.");
        var content = new byte[image.Length];
        await using var stream = image.Open();
        await stream.ReadExactlyAsync(content, cancellationToken);
        return new Upload(image.FileName, content, null);
    }

    private async Task<PredictionResponse> PredictAsync(RegisteredModel model, IReadOnlyList<Upload> uploads, CancellationToken cancellationToken)
    {
        using (var lease = registry.Load(model))
        using (var ticket = batcher.Expect(lease.Model))
        {
            var trained = lease.Model;
            // Decoding is CPU work done here, on the request's thread: concurrent requests decode in parallel while
            // the batcher's thread runs forward passes.
            var prepared = new PreparedImage?[uploads.Count];
            var problems = new string?[uploads.Count];
            for (var i = 0; i < uploads.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (uploads[i].Content is not { } content)
                {
                    problems[i] = uploads[i].Problem;
                    continue;
                }
                try
                {
                    prepared[i] = ImageCodec.Prepare(content, trained.InputSize, limits);
                }
                catch (ImageRejectedException e)
                {
                    problems[i] = e.Message;
                }
            }

            var probabilities = await ticket.PredictAsync(prepared.OfType<PreparedImage>().ToList(), cancellationToken);
            // The registry's threshold, not the loaded model's: a threshold chosen since the model was loaded applies at once.
            var threshold = model.Threshold;
            var classNames = trained.Manifest.ClassNames;

            var results = new ImagePrediction[uploads.Count];
            for (int i = 0, next = 0; i < uploads.Count; i++)
            {
                if (prepared[i] is null)
                {
                    results[i] = new ImagePrediction { FileName = uploads[i].FileName, Error = problems[i] ?? "The image could not be read." };
                    continue;
                }
                double positive = probabilities[next++];
                results[i] = new ImagePrediction
                {
                    FileName = uploads[i].FileName,
                    Positive = positive,
                    Negative = 1 - positive,
                    Label = BinaryEvaluation.IsPositive(positive, threshold) ? classNames[1] : classNames[0],
                };
            }
            return new PredictionResponse(model.Id, results);
        }
    }
}
