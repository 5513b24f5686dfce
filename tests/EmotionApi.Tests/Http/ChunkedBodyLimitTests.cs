using System.Net;
using System.Net.Http.Headers;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Http;

/// <summary>
/// A body sent chunked has no Content-Length for the endpoints to check first: Kestrel stops it at the endpoint's limit
/// while it is read, with an exception that is an IOException too. It must stay a 413, not pass for a body that ends
/// early (400).
/// </summary>
public sealed class ChunkedBodyLimitTests : IDisposable
{
    private const int MaxPredictionRequestBytes = 200_000;

    private readonly KestrelApiFactory factory = new()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Prediction:MaxRequestBytes"] = $"{MaxPredictionRequestBytes}",
            ["Datasets:MaxUploadMegabytes"] = "1",
        },
    };

    public void Dispose() => factory.Dispose();

    [Theory]
    [InlineData("/api/predict")]
    [InlineData("/api/predict/explain")]
    public async Task A_chunked_prediction_request_over_the_limit_is_a_413(string path)
    {
        using var client = factory.CreateKestrelClient();

        using var response = await SendChunkedAsync(client, path, "file", "big.png", 2 * MaxPredictionRequestBytes);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Request too large");
    }

    [Fact]
    public async Task A_chunked_upload_over_the_limit_is_a_413_and_stores_nothing()
    {
        using var client = factory.CreateKestrelClient();

        using var response = await SendChunkedAsync(client, "/api/datasets", "file", "big.zip", 3 * 1024 * 1024);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Upload too large");
        Assert.Equal("[]", await client.GetStringAsync("/api/datasets"));
    }

    private static async Task<HttpResponseMessage> SendChunkedAsync(HttpClient client, string path, string field, string fileName, int bytes)
    {
        var file = new ByteArrayContent(new byte[bytes]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { { file, field, fileName } };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        request.Headers.TransferEncodingChunked = true;
        return await client.SendAsync(request);
    }
}
