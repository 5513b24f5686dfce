using System.Net;
using EmotionApi.Telemetry;
using EmotionApi.Tests.Security;

namespace EmotionApi.Tests.Telemetry;

/// <summary>/metrics on a service with API keys: an admin's, like the jobs dashboard.</summary>
[Collection(SecuredServiceCollection.Name)]
public class MetricsAccessTests(SecuredServiceFixture service)
{
    [Fact]
    public async Task Metrics_answer_an_admin_key_and_refuse_no_key_and_the_other_roles()
    {
        using var anonymous = service.Anonymous();
        using var predictor = service.As("predictor");
        using var trainer = service.As("trainer");
        using var admin = service.As("ops");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(TelemetrySetup.MetricsPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await predictor.GetAsync(TelemetrySetup.MetricsPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.GetAsync(TelemetrySetup.MetricsPath)).StatusCode);
        var response = await admin.GetAsync(TelemetrySetup.MetricsPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("emotionapi_training_job_count", await response.Content.ReadAsStringAsync());
    }
}
