using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EmotionApi.Infrastructure;

/// <summary>
/// The one place where exceptions become RFC 9457 problem details: client mistakes get a 4xx that
/// says what is wrong; anything else a 500 without internals.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (for example mid-upload): nobody reads an answer, and it is not our error.
            logger.LogInformation("Client aborted {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.StatusCode = 499;
            return true;
        }

        ProblemDetails problem = exception switch
        {
            ApiProblemException api when api.Errors is not null => new ValidationProblemDetails(api.Errors)
            {
                Status = api.Status, Title = api.Title, Detail = api.Message,
            },
            ApiProblemException api => new ProblemDetails { Status = api.Status, Title = api.Title, Detail = api.Message },
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

        if (problem.Status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        else logger.LogInformation("Refused {Method} {Path}: {Status} {Detail}", context.Request.Method, context.Request.Path, problem.Status, problem.Detail);

        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context, ProblemDetails = problem, Exception = exception,
        });
    }
}
