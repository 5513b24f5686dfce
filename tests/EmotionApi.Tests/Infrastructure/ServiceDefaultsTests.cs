using System.Net;
using System.Text.Json;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Infrastructure;

[Collection(ApiCollection.Name)]
public class ServiceDefaultsTests(EmotionApiFactory factory)
{
    [Fact]
    public async Task Swagger_document_is_served_as_openapi_json()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString());
        Assert.Equal("EmotionApi", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Unknown_route_answers_404_problem_details()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
