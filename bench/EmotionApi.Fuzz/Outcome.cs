namespace EmotionApi.Fuzz;

/// <summary>What one request got: an HTTP status, or no answer (the connection closed, or the per-request timeout passed).</summary>
/// <param name="Status">The HTTP status; null without an answer.</param>
/// <param name="Problem">A 4xx answer was RFC 9457 problem details (application/problem+json).</param>
/// <param name="Failure">Why the case fails the run (a 5xx, a hang, the service gone); null when it passed.</param>
/// <param name="Seconds">Time to the answer.</param>
internal sealed record Outcome(int? Status, bool Problem, string Label, string? Failure, double Seconds);
