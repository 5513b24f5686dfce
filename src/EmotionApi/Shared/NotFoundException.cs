namespace EmotionApi.Shared;

/// <summary>The thing asked for does not exist (or no longer does).</summary>
public sealed class NotFoundException(string title, string detail) : ServiceException(title, detail)
{
    /// <summary>"Training job not found": "There is no training job with id '...'."</summary>
    /// <param name="what">The kind of thing, capitalised as a title starts ("Dataset", "Training job", "Model").</param>
    /// <param name="id">The id that was asked for.</param>
    public static NotFoundException For(string what, string id) =>
        new($"{what} not found", $"There is no {what.ToLowerInvariant()} with id '{id}'.");
}
