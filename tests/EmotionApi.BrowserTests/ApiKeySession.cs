namespace EmotionApi.BrowserTests;

/// <summary>A browser session whose service wants an API key (<see cref="KeyedServiceFactory"/>).</summary>
public sealed class ApiKeySession : BrowserSession
{
    protected override KestrelServiceFactory CreateFactory() => new KeyedServiceFactory();

    public KeyedServiceFactory Keys => (KeyedServiceFactory)Factory!;
}
