using System.Net;
using System.Text.Json;

namespace EmotionApi.Tests.Infrastructure;

/// <summary>The one way the tests check a refusal.</summary>
internal static class ProblemAssertions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Asserts a refusal: this status, a problem-details body (application/problem+json) stating the same status, this
    /// title, and these texts in its detail. Returns the problem for further checks (its <c>errors</c>).
    /// </summary>
    public static async Task<ProblemView> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string title,
        params string[] detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"Expected application/problem+json, got {response.Content.Headers.ContentType}: {body}");
        var problem = JsonSerializer.Deserialize<ProblemView>(body, Json)!;
        Assert.Equal((int)status, problem.Status);
        Assert.True(title == problem.Title, $"Expected the title '{title}': {body}");
        foreach (var text in detailContains)
            Assert.True((problem.Detail ?? "").Contains(text, StringComparison.Ordinal), $"Expected '{text}' in the detail: {body}");
        return problem;
    }
}
