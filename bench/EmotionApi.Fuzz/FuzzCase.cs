namespace EmotionApi.Fuzz;

/// <summary>One request of a run: the endpoint, the mutation that made it, what it holds, and its exact bytes.</summary>
/// <param name="Number">Its number in the run: with the seed, enough to make it again (<c>--case</c>).</param>
/// <param name="Endpoint">"datasets" or "predict".</param>
/// <param name="Kind">The mutation family, for the counts.</param>
/// <param name="Description">What was done to the input, for a person reproducing a failure.</param>
/// <param name="Path">The request's path and query.</param>
/// <param name="ContentType">The Content-Type header sent, malformed on purpose in some cases.</param>
/// <param name="Body">The request body.</param>
internal sealed record FuzzCase(int Number, string Endpoint, string Kind, string Description, string Path, string ContentType, byte[] Body);
