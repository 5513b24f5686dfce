using EmotionApi.Infrastructure;
using EmotionApi.Learning.Evaluation;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Models;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary>
/// Classifies uploaded images with a registered model: the same preparation as training
/// (<see cref="ImageCodec.Prepare"/> at the model's input size), one forward pass for the whole batch,
/// each bad image failing alone.
/// </summary>
public sealed class ImagePredictor(
    ModelRegistry registry, ModelCache cache, ImageLimits limits, IOptions<PredictionOptions> options)
{
    /// <summary>An uploaded file: its name and bytes, or why it was not read.</summary>
    public sealed record Upload(string FileName, byte[]? Content, string? Problem, bool TooLarge = false);

    /// <summary>The model named, or the default one; 404 for an unknown id, 409 when no model exists yet.</summary>
    public RegisteredModel ChooseModel(string? modelId)
    {
        if (!string.IsNullOrWhiteSpace(modelId))
            return registry.Find(modelId) ?? throw ApiProblemException.NotFound("Model", modelId);
        return registry.ResolveDefault()?.Model ?? throw ModelsApi.NoModelYet(StatusCodes.Status409Conflict);
    }

    public async Task<Upload> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName;
        var maxBytes = options.Value.MaxFileBytes;
        if (file.Length > maxBytes)
            return new Upload(name, null, $"The file has {file.Length} bytes; the limit is {maxBytes}.", TooLarge: true);
        if (file.Length == 0) return new Upload(name, null, "The file is empty.");
        var content = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(content, cancellationToken);
        return new Upload(name, content, null);
    }

    /// <summary>Runs on the thread pool: decoding and the forward pass are CPU work.</summary>
    public Task<PredictionResponse> PredictAsync(RegisteredModel model, IReadOnlyList<Upload> uploads, CancellationToken cancellationToken) =>
        Task.Run(() => Predict(model, uploads, cancellationToken), cancellationToken);

    private PredictionResponse Predict(RegisteredModel model, IReadOnlyList<Upload> uploads, CancellationToken cancellationToken)
    {
        ModelLease lease;
        try
        {
            lease = cache.Acquire(model.Id, registry.ModelDirectory(model.Id));
        }
        catch (InvalidModelException e)
        {
            throw new ApiProblemException(StatusCodes.Status500InternalServerError, "Model unavailable",
                $"Model '{model.Id}' cannot be loaded: {e.Message}");
        }

        using (lease)
        {
            var trained = lease.Model;
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

            var usable = prepared.OfType<PreparedImage>().ToList();
            var probabilities = usable.Count == 0 ? [] : trained.PredictPositive(usable);
            var threshold = trained.Manifest.Threshold;
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
