using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EmotionApi.Http.Security;
using EmotionApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using EmotionApi.Tests.Training;

namespace EmotionApi.Tests.Security;

/// <summary>What each role may do: admin everything, trainer datasets and jobs and reading models, predictor predictions and reading models.</summary>
[Collection(SecuredServiceCollection.Name)]
public class RoleTests(SecuredServiceFixture service)
{
    private const string UnknownId = "0123456789ab";

    /// <summary>Requests that pass or fail on the role alone: an allowed one gets past authorization (any status but 401 and 403).</summary>
    public static TheoryData<string, string, string, string?, string> Requests() => new()
    {
        // key, method, path, JSON body, roles that pass (as the 403 names them)
        { "trainer", "GET", "/api/datasets", null, "trainer or admin" },
        { "predictor", "GET", "/api/datasets", null, "trainer or admin" },
        { "ops", "GET", "/api/datasets", null, "trainer or admin" },
        { "trainer", "POST", "/api/datasets/sample", "{\"count\": 1}", "trainer or admin" },
        { "predictor", "POST", "/api/datasets/sample", "{\"count\": 1}", "trainer or admin" },
        { "trainer", "GET", "/api/training-jobs", null, "trainer or admin" },
        { "predictor", "GET", "/api/training-jobs", null, "trainer or admin" },
        { "trainer", "POST", "/api/training-jobs", "{}", "trainer or admin" },
        { "predictor", "POST", "/api/training-jobs", "{}", "trainer or admin" },
        { "trainer", "GET", "/api/models", null, "trainer, predictor or admin" },
        { "predictor", "GET", "/api/models", null, "trainer, predictor or admin" },
        { "predictor", "GET", $"/api/models/{UnknownId}/roc", null, "trainer, predictor or admin" },
        { "ops", "DELETE", $"/api/models/{UnknownId}", null, "admin" },
        { "trainer", "DELETE", $"/api/models/{UnknownId}", null, "admin" },
        { "predictor", "DELETE", $"/api/models/{UnknownId}", null, "admin" },
        { "ops", "PUT", "/api/models/default", "{}", "admin" },
        { "trainer", "PUT", "/api/models/default", "{}", "admin" },
        { "predictor", "DELETE", "/api/models/default", null, "admin" },
        { "predictor", "POST", "/api/predict", "", "predictor or admin" },
        { "trainer", "POST", "/api/predict", "", "predictor or admin" },
        { "ops", "POST", "/api/predict", "", "predictor or admin" },
    };

    /// <summary>Which role names each key holds (the fixture's configuration).</summary>
    private static readonly Dictionary<string, string> Role = new() { ["ops"] = "admin", ["trainer"] = "trainer", ["predictor"] = "predictor" };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Each_role_reaches_what_its_policy_admits_and_gets_a_403_problem_naming_the_roles_elsewhere(
        string key, string method, string path, string? body, string admitted)
    {
        using var client = service.As(key);
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body switch
            {
                null => null,
                "" => new MultipartFormDataContent { { new StringContent("no file"), "note" } },
                _ => new StringContent(body, Encoding.UTF8, "application/json"),
            },
        };

        using var response = await client.SendAsync(request);

        var allowed = admitted.Replace(",", "").Split(' ').Contains(Role[key]);
        if (allowed)
        {
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{key} was refused {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return;
        }
        var roleNames = admitted.Replace("trainer, predictor or admin", "trainer, predictor or admin");
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "Role required",
            $"The key '{key}' has the role {Role[key]}; {method} {path} needs {roleNames}.");
    }

    [Fact]
    public void Every_api_endpoint_names_a_role_policy_so_none_is_left_to_any_key()
    {
        var endpoints = service.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();

        Assert.True(endpoints.Count >= 24, $"Only {endpoints.Count} API endpoints found");
        var unnamed = endpoints
            .Where(endpoint => !endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => data.Policy is { } policy && ApiPolicies.Roles.ContainsKey(policy)))
            .Select(endpoint => endpoint.DisplayName)
            .ToList();
        Assert.True(unnamed.Count == 0, "API endpoints without an ApiPolicies policy (add one to the route group): " + string.Join(", ", unnamed));
    }

    [Fact]
    public async Task A_key_with_two_roles_may_do_what_either_may()
    {
        using var client = service.As("client");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/training-jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/predict", new MultipartFormDataContent { { new StringContent("x"), "note" } })).StatusCode);
        await (await client.DeleteAsync($"/api/models/{UnknownId}")).AssertProblemAsync(HttpStatusCode.Forbidden, "Role required",
            "The key 'client' has the roles trainer and predictor;", "needs admin.");
    }

    [Fact]
    public async Task The_jobs_dashboard_opens_to_an_admin_key_in_a_header_or_as_the_Basic_password()
    {
        using (var admin = service.As("dashboard"))
        {
            var response = await admin.GetAsync("/hangfire/servers");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("training", await response.Content.ReadAsStringAsync());
        }
        using (var browser = service.Anonymous())
        {
            browser.DefaultRequestHeaders.Authorization = Basic("dashboard", service.Keys["dashboard"]);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire/servers")).StatusCode);
        }
    }

    [Fact]
    public async Task The_jobs_dashboard_refuses_no_key_other_roles_and_a_key_under_another_name()
    {
        using (var anonymous = service.Anonymous())
        {
            var response = await anonymous.GetAsync("/hangfire");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme); // a browser asks for the credentials
        }
        using (var trainer = service.As("trainer"))
            Assert.Equal(HttpStatusCode.Forbidden, (await trainer.GetAsync("/hangfire")).StatusCode);
        using (var basicTrainer = service.Anonymous())
        {
            basicTrainer.DefaultRequestHeaders.Authorization = Basic("trainer", service.Keys["trainer"]);
            Assert.Equal(HttpStatusCode.Unauthorized, (await basicTrainer.GetAsync("/hangfire")).StatusCode);
        }
        using (var wrongName = service.Anonymous())
        {
            wrongName.DefaultRequestHeaders.Authorization = Basic("ops", service.Keys["dashboard"]);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongName.GetAsync("/hangfire")).StatusCode);
        }
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
