namespace EmotionApi.Tests.Infrastructure;

/// <summary>An RFC 9457 problem as a client reads it.</summary>
/// <param name="Status">The status the body states (the same as the response's).</param>
/// <param name="Title">What went wrong, in a few words.</param>
/// <param name="Detail">What went wrong and what to do, in a sentence or more (absent from routing's own refusals).</param>
/// <param name="Errors">Field name to its problems, for answers that name fields.</param>
internal sealed record ProblemView(int Status, string Title, string? Detail, Dictionary<string, string[]>? Errors);
