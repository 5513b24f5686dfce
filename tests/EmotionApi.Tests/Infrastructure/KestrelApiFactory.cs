using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.Tests.Infrastructure;

/// <summary>
/// The service on a real Kestrel server, on a loopback port the system picks: for what the in-memory test server does
/// not do (Kestrel's own request-size limit on a chunked body, for one).
/// </summary>
public sealed class KestrelApiFactory : EmotionApiFactory
{
    public KestrelApiFactory() => UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));

    /// <summary>Starts the server (once) and returns a client of its address.</summary>
    public HttpClient CreateKestrelClient()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address) };
    }
}
