using EmotionApi.Learning;
using EmotionApi.Learning.Networks;
using EmotionApi.Shared;
using Microsoft.Extensions.Options;

namespace EmotionApi.Hosting;

public static class TorchSetup
{
    /// <summary>Options "Torch", validated when torch is configured (before the host starts).</summary>
    public static WebApplicationBuilder AddTorch(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TorchOptions>(TorchOptions.Section);
        return builder;
    }

    /// <summary>
    /// Torch's process-wide settings (passive OpenMP waits, threads = the CPUs this process may use, or
    /// <see cref="TorchOptions.Threads"/>), applied before anything touches torch; or one clear line saying why torch
    /// cannot load. The API keeps serving datasets either way. Every node role calls it first.
    /// </summary>
    /// <exception cref="OptionsValidationException">An invalid "Torch" setting: start-up stops, naming it.</exception>
    public static WebApplication UseTorch(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TorchOptions>>().Value;
        try
        {
            var settings = TorchPerformance.Configure(options.Threads);
            app.Logger.LogInformation("Torch ready: {Threads} threads, OpenMP wait policy {WaitPolicy}", settings.Threads, settings.WaitPolicy);
        }
        catch (TorchUnavailableException e)
        {
            app.Logger.LogCritical("Training and prediction are unavailable: {Problem}", e.Message);
        }
        return app;
    }
}
