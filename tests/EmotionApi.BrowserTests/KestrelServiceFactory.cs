using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.BrowserTests;

/// <summary>
/// The service on a real Kestrel server on a loopback port the system picks (a browser cannot reach the in-memory test
/// server), on its embedded defaults with a data folder of its own.
/// </summary>
public class KestrelServiceFactory : WebApplicationFactory<Program>
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "emotionapi-browser-tests", Guid.NewGuid().ToString("N"));

    public KestrelServiceFactory() => UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));

    /// <summary>Starts the server (once) and returns its address, such as http://127.0.0.1:40123.</summary>
    public Uri Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataPath", dataPath);
        builder.UseSetting("Datasets:Sample:CreateOnStartup", "false");
        // Open, as `dotnet run` is (outside Development the service asks for keys); KeyedServiceFactory configures one.
        builder.UseSetting("Auth:Mode", "None");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(dataPath))
        {
            try { Directory.Delete(dataPath, recursive: true); } catch (IOException) { }
        }
    }
}
