using EmotionApi.Shared;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EmotionApi.Http;

/// <summary>
/// The one place where exceptions become RFC 9457 problem details: each kind of <see cref="ServiceException"/> gets
/// its status here (services never know one), client mistakes a 4xx that says what is wrong, anything else a 500
/// without internals.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    /// <summary>The status of each kind; a kind not listed takes its nearest listed base's.</summary>
    private static readonly Dictionary<Type, int> Statuses = new()
    {
        [typeof(ValidationException)] = StatusCodes.Status400BadRequest,
        [typeof(InputRefusedException)] = StatusCodes.Status400BadRequest,
        [typeof(InputTooLargeException)] = StatusCodes.Status413PayloadTooLarge,
        [typeof(UnsupportedMediaTypeException)] = StatusCodes.Status415UnsupportedMediaType,
        [typeof(NotFoundException)] = StatusCodes.Status404NotFound,
        [typeof(ConflictException)] = StatusCodes.Status409Conflict,
        [typeof(QuotaExceededException)] = StatusCodes.Status429TooManyRequests,
        [typeof(InsufficientStorageException)] = StatusCodes.Status507InsufficientStorage,
        [typeof(UnavailableException)] = StatusCodes.Status500InternalServerError,
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (for example mid-upload): nobody reads an answer, and it is not our error.
            logger.LogInformation("Client aborted {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.StatusCode = 499;
            return true;
        }

        var problem = ToProblem(exception);
        if (problem.Status == StatusCodes.Status507InsufficientStorage)
            logger.LogWarning("Refused {Method} {Path}: {Status} {Detail}", context.Request.Method, context.Request.Path, problem.Status, problem.Detail);
        else if (problem.Status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        else logger.LogInformation("Refused {Method} {Path}: {Status} {Detail}", context.Request.Method, context.Request.Path, problem.Status, problem.Detail);

        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context, ProblemDetails = problem, Exception = exception,
        });
    }

    /// <summary>The problem that answers <paramref name="exception"/>.</summary>
    internal static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ServiceException known when known.Errors is not null => new ValidationProblemDetails(known.Errors.ToDictionary())
        {
            Status = StatusOf(known), Title = known.Title, Detail = known.Message,
        },
        ServiceException known => new ProblemDetails { Status = StatusOf(known), Title = known.Title, Detail = known.Message },
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request",
            // The inner JsonException names the field and position ("Path: $.count").
            Detail = bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message,
        },
        InvalidDataException or System.Text.Json.JsonException => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest, Title = "Malformed request", Detail = exception.Message,
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Internal error",
            Detail = "The service failed to handle the request; the error is in its log.",
        },
    };

    /// <summary>The status of a kind of <see cref="ServiceException"/>; null for a kind nobody listed (a test asks for none).</summary>
    internal static int? StatusOf(Type kind)
    {
        for (var type = kind; type is not null && type != typeof(ServiceException); type = type.BaseType)
            if (Statuses.TryGetValue(type, out var status)) return status;
        return null;
    }

    private static int StatusOf(ServiceException exception) => StatusOf(exception.GetType()) ?? StatusCodes.Status500InternalServerError;
}
