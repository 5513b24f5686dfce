namespace EmotionApi.Shared;

/// <summary>Input with one or more bad fields, every one named with its problems.</summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors)
    : ServiceException("Invalid request", Describe(errors), errors)
{
    /// <summary>One bad field.</summary>
    public ValidationException(string field, string problem) : this(new Dictionary<string, string[]> { [field] = [problem] })
    {
    }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        "One or more fields are invalid: " + string.Join("; ", errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}"));
}
