using EmotionApi.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace EmotionApi.Tests.Security;

/// <summary>What the service refuses to start with: an API open to the network by accident, or keys it cannot use.</summary>
public class StartupTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_Development_a_node_without_keys_refuses_to_start_naming_the_Auth_settings(string environment)
    {
        using var host = new EmotionApiFactory { Environment = environment, Settings = new Dictionary<string, string?> { ["Auth:Mode"] = "ApiKeys" } };

        var error = host.StartFailure<OptionsValidationException>();

        Assert.Contains($"No API key is configured (Auth:Keys) and the environment is '{environment}'", error.Message);
        Assert.Contains("Auth__Keys__0__Name=ops, Auth__Keys__0__Key=", error.Message);
        Assert.Contains("set Auth:Mode=None (Auth__Mode=None) to run without authentication on purpose", error.Message);
    }

    [Fact]
    public void Auth_Mode_None_with_keys_configured_refuses_to_start_rather_than_ignore_them()
    {
        using var host = new EmotionApiFactory
        {
            Environment = "Production",
            Settings = new Dictionary<string, string?>
            {
                ["Auth:Mode"] = "None", ["Auth:Keys:0:Name"] = "ops", ["Auth:Keys:0:Key"] = "0123456789abcdef0123", ["Auth:Keys:0:Roles:0"] = "admin",
            },
        };

        var error = host.StartFailure<OptionsValidationException>();

        Assert.Contains("Auth:Mode is None (no authentication) but Auth:Keys lists 1 key(s)", error.Message);
    }

    [Fact]
    public void A_bad_key_stops_the_start_naming_its_setting_and_never_quoting_the_key()
    {
        const string shortKey = "tooshort";
        using var host = new EmotionApiFactory
        {
            Environment = "Production",
            Settings = new Dictionary<string, string?>
            {
                ["Auth:Keys:0:Name"] = "ops", ["Auth:Keys:0:Key"] = shortKey, ["Auth:Keys:0:Roles:0"] = "superuser",
            },
        };

        var error = host.StartFailure<OptionsValidationException>();

        Assert.Contains("Auth:Keys:0:Key is shorter than 16 characters", error.Message);
        Assert.Contains("Auth:Keys:0:Roles has 'superuser', which is not a role: use trainer, predictor, admin.", error.Message);
        Assert.DoesNotContain(shortKey, error.Message);
    }
}
