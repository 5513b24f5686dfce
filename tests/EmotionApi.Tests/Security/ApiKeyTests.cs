using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Security;

/// <summary>How a caller proves who it is: a key in X-Api-Key or Authorization: Bearer; 401 problems otherwise; probes open.</summary>
[Collection(SecuredServiceCollection.Name)]
public class ApiKeyTests(SecuredServiceFixture service)
{
    [Fact]
    public async Task Every_operation_of_the_document_refuses_a_caller_without_a_key_with_a_401_problem()
    {
        using var client = service.Anonymous();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Method: operation.Name.ToUpperInvariant(), path.Name, operation.Value)))
            .ToList();

        Assert.True(operations.Count >= 24, $"Only {operations.Count} operations documented");
        foreach (var (method, path, operation) in operations)
        {
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 2, $"{method} {path} declares no key requirement");
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", "0123456789ab"));
            using var response = await client.SendAsync(request);

            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "API key required", $"{method} ", "X-Api-Key: <key>", "Authorization: Bearer <key>");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_key_is_accepted_in_X_Api_Key_and_as_a_Bearer_token(bool bearer)
    {
        using var client = service.As("predictor", bearer);

        var response = await client.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_configured_as_its_SHA_256_is_accepted_and_its_digest_is_not()
    {
        using var client = service.As("hashed");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);

        // The configured text (sha256:<hex>) is not a key: only its preimage is.
        using var withDigest = service.Anonymous();
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(service.Keys["hashed"])));
        withDigest.DefaultRequestHeaders.Add("X-Api-Key", "sha256:" + digest);
        await (await withDigest.GetAsync("/api/models")).AssertProblemAsync(HttpStatusCode.Unauthorized, "API key not accepted", "not one this service knows");
    }

    [Theory]
    [InlineData("X-Api-Key", "not-a-configured-key-at-all", "The API key is not one this service knows.")]
    [InlineData("Authorization", "Bearer not-a-configured-key-at-all", "The API key is not one this service knows.")]
    [InlineData("Authorization", "Bearer ", "The Authorization header says Bearer but carries no key.")]
    [InlineData("X-Api-Key", "one-key-of-many|another-key-of-many", "The request has 2 X-Api-Key headers; send one.")]
    public async Task A_wrong_or_malformed_key_gets_a_401_problem_saying_why(string header, string values, string why)
    {
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/models");
        request.Headers.TryAddWithoutValidation(header, values.Split('|'));

        using var response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "API key not accepted", why, "X-Api-Key: <key>");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Fact]
    public async Task Two_different_keys_in_one_request_are_refused()
    {
        using var client = service.As("ops");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.Keys["trainer"]);

        await (await client.GetAsync("/api/models")).AssertProblemAsync(HttpStatusCode.Unauthorized, "API key not accepted", "carry different keys");
    }

    [Fact]
    public async Task The_same_key_in_both_headers_is_accepted()
    {
        using var client = service.As("ops");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.Keys["ops"]);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task Probes_and_the_api_documentation_need_no_key(string path)
    {
        using var client = service.Anonymous();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_key_ever_reaches_the_log_neither_a_configured_one_nor_a_wrong_one()
    {
        const string wrongKey = "a-wrong-key-that-must-not-be-logged";
        using (var wrong = service.Anonymous())
        {
            wrong.DefaultRequestHeaders.Add("X-Api-Key", wrongKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/models")).StatusCode);
        }
        using (var right = service.As("trainer", bearer: true))
            Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/api/datasets")).StatusCode);

        var log = service.Log.Entries;
        Assert.Contains(log, entry => entry.Contains("was not authenticated", StringComparison.Ordinal)); // the log is captured
        Assert.DoesNotContain(log, entry => entry.Contains(wrongKey, StringComparison.Ordinal));
        foreach (var key in service.Keys.Values) Assert.DoesNotContain(log, entry => entry.Contains(key, StringComparison.Ordinal));
    }
}
