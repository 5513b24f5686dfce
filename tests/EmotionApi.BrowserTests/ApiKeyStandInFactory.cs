using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.BrowserTests;

/// <summary>
/// The service behind a stand-in for API keys as the service's own keys answer (401 problem without `X-Api-Key`), so the
/// page's key handling is tested whatever the service's key feature does: it records every /api request with and without the key.
/// </summary>
public sealed class ApiKeyStandInFactory : KestrelServiceFactory
{
    public const string Key = "browser-test-key";

    public ConcurrentQueue<string> Refused { get; } = new();
    public ConcurrentQueue<string> Accepted { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new KeyCheck(this)));
    }

    private sealed class KeyCheck(ApiKeyStandInFactory factory) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, rest) =>
            {
                var request = $"{context.Request.Method} {context.Request.Path}";
                if (!context.Request.Path.StartsWithSegments("/api")) { await rest(); return; }
                if (context.Request.Headers["X-Api-Key"] == Key)
                {
                    factory.Accepted.Enqueue(request);
                    await rest();
                    return;
                }
                factory.Refused.Enqueue(request);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("{\"title\":\"API key required\",\"status\":401,\"detail\":\"Send your key in the X-Api-Key header.\"}");
            });
            next(app);
        };
    }
}
