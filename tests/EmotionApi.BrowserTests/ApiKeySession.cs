namespace EmotionApi.BrowserTests;

/// <summary>A browser session whose service wants an API key (<see cref="ApiKeyStandInFactory"/>).</summary>
public sealed class ApiKeySession : BrowserSession
{
    protected override KestrelServiceFactory CreateFactory() => new ApiKeyStandInFactory();

    public ApiKeyStandInFactory Keys => (ApiKeyStandInFactory)Factory!;
}
