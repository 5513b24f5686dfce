namespace EmotionApi.Infrastructure;

/// <summary>
/// A request the service refuses, for a reason the client can act on. Turned into an RFC 9457
/// problem-details answer by <see cref="ProblemDetailsExceptionHandler"/>; never logged as an error.
/// </summary>
public class ApiProblemException(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static ApiProblemException NotFound(string what, string id) =>
        new(StatusCodes.Status404NotFound, $"{what} not found", $"There is no {what.ToLowerInvariant()} with id '{id}'.");

    public static ApiProblemException Validation(IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, "Invalid request",
            "One or more fields are invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            errors);
}
