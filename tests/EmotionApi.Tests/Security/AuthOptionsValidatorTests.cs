using System.Security.Cryptography;
using System.Text;
using EmotionApi.Http.Security;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace EmotionApi.Tests.Security;

/// <summary>The start-up checks of Auth:Keys, one rule at a time.</summary>
public class AuthOptionsValidatorTests
{
    private const string GoodKey = "a-long-enough-secret-key";

    [Fact]
    public void Well_formed_keys_pass_in_Production()
    {
        var result = Validate("Production",
            Key("ops", GoodKey, "admin"),
            Key("ci", "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("another-long-secret"))), "Trainer", "predictor"));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Development_without_keys_starts_open_and_None_starts_open_anywhere()
    {
        Assert.True(Validate("Development").Succeeded);
        Assert.True(Validate("Production", AuthMode.None).Succeeded);
        Assert.False(Validate("Production").Succeeded);
    }

    [Theory]
    [InlineData("sha256:abc", "Auth:Keys:0:Key starts with sha256: but is not followed by exactly 64 hexadecimal digits")]
    [InlineData("", "Auth:Keys:0:Key is empty")]
    [InlineData("has a space in the middle", "Auth:Keys:0:Key contains white space or control characters")]
    [InlineData("k3y-t00-sh0rt", "Auth:Keys:0:Key is shorter than 16 characters")]
    public void A_malformed_key_is_named_by_its_setting(string key, string message)
    {
        var result = Validate("Production", Key("ops", key, "admin"));

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
        if (key.Length > 0) Assert.DoesNotContain(key, result.FailureMessage.Replace("sha256:", ""));
    }

    [Fact]
    public void Names_must_differ_and_one_key_may_not_be_given_twice_even_once_hashed()
    {
        var digest = "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(GoodKey)));

        var result = Validate("Production", Key("ops", GoodKey, "admin"), Key("OPS", "another-long-secret", "trainer"), Key("ci", digest, "trainer"));

        Assert.Contains("Auth:Keys:1:Name 'OPS' is also the name of Auth:Keys:0: names must differ.", result.FailureMessage);
        Assert.Contains("Auth:Keys:2:Key is the same key as Auth:Keys:0", result.FailureMessage);
    }

    [Fact]
    public void A_key_needs_a_plain_name_and_a_known_role()
    {
        var result = Validate("Production", Key("the ops team", GoodKey), Key("ci", "another-long-secret", "root"));

        Assert.Contains("Auth:Keys:0:Name is 'the ops team'", result.FailureMessage);
        Assert.Contains("Auth:Keys:0:Roles is empty", result.FailureMessage);
        Assert.Contains("Auth:Keys:1:Roles has 'root', which is not a role", result.FailureMessage);
    }

    private static ApiKeyOptions Key(string name, string key, params string[] roles) => new() { Name = name, Key = key, Roles = [.. roles] };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, params ApiKeyOptions[] keys) =>
        Validate(environment, AuthMode.ApiKeys, keys);

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, AuthMode mode, params ApiKeyOptions[] keys) =>
        new AuthOptionsValidator(new Environment(environment)).Validate(null, new AuthOptions { Mode = mode, Keys = [.. keys] });

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "EmotionApi";
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
