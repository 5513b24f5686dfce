using Microsoft.AspNetCore.Mvc;

namespace EmotionApi.Http;

/// <summary>
/// Writes an RFC 9457 answer through the service's problem details writer (the same shape, trace id included,
/// as every other problem), for the answers that come from middleware rather than from an exception: 401, 403, 429, timeouts.
/// </summary>
public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        context.Response.StatusCode = status;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem })) return;

        // The writer declines clients whose Accept header names no JSON type: they still get the problem.
        problem.Extensions["traceId"] = context.TraceIdentifier;
        await context.Response.WriteAsJsonAsync(problem, typeof(ProblemDetails), options: null, contentType: "application/problem+json");
    }
}
