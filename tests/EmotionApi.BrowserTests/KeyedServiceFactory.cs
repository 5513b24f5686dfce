using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.BrowserTests;

/// <summary>
/// The service with an API key configured (its own keys: 401 problem without one), recording every /api request the page
/// sends with the key and without it, so that the page's key handling is seen from the service's side.
/// </summary>
public sealed class KeyedServiceFactory : KestrelServiceFactory
{
    public const string Key = "browser-test-key";

    public ConcurrentQueue<string> Refused { get; } = new();
    public ConcurrentQueue<string> Accepted { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:Mode", "ApiKeys");
        builder.UseSetting("Auth:Keys:0:Name", "browser");
        builder.UseSetting("Auth:Keys:0:Key", Key);
        builder.UseSetting("Auth:Keys:0:Roles:0", "admin");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new KeyRecorder(this)));
    }

    private sealed class KeyRecorder(KeyedServiceFactory factory) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, rest) =>
            {
                if (context.Request.Path.StartsWithSegments("/api"))
                    (context.Request.Headers["X-Api-Key"] == Key ? factory.Accepted : factory.Refused).Enqueue($"{context.Request.Method} {context.Request.Path}");
                await rest();
            });
            next(app);
        };
    }
}
