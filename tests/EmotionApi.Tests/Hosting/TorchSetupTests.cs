using EmotionApi.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace EmotionApi.Tests.Hosting;

public class TorchSetupTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("5000")]
    public void Torch_threads_out_of_range_stop_the_start_naming_the_setting(string threads)
    {
        using var factory = new EmotionApiFactory { Settings = new Dictionary<string, string?> { ["Torch:Threads"] = threads } };

        var error = factory.StartFailure<Exception>();

        var validation = Assert.IsType<OptionsValidationException>(error.GetBaseException());
        Assert.Contains("Torch:Threads (environment variable Torch__Threads) must be 1 to 1024 threads", validation.Message);
    }
}
