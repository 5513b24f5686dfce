using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Training;

public class HangfireDashboardTests : IAsyncLifetime
{
    private readonly EmotionApiFactory factory = new()
    {
        Settings = TrainingTestKit.HostSettings(("Hangfire:DashboardUsername", "ops"), ("Hangfire:DashboardPassword", "s3cret-enough")),
    };

    [Fact]
    public async Task Dashboard_outside_development_asks_for_credentials()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("ops", "wrong")]
    [InlineData("someone", "s3cret-enough")]
    [InlineData("ops", "")]
    public async Task Dashboard_refuses_wrong_credentials(string user, string password)
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(user, password);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_opens_with_the_configured_credentials_and_shows_the_training_queue()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic("ops", "s3cret-enough");

        var response = await client.GetAsync("/hangfire/servers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("training", await response.Content.ReadAsStringAsync());
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}
