using Microsoft.Playwright;

namespace EmotionApi.BrowserTests;

/// <summary>A service on Kestrel and a chromium to look at it with, started on first use and shared by a test class.</summary>
public class BrowserSession : IAsyncLifetime
{
    private IPlaywright? playwright;

    protected virtual KestrelServiceFactory CreateFactory() => new();

    public KestrelServiceFactory? Factory { get; private set; }
    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    /// <summary>Skips (or, under CI, fails) without chromium; otherwise starts everything once.</summary>
    public async Task StartAsync()
    {
        Chromium.RequireOrSkip();
        if (Factory is not null) return;
        Factory = CreateFactory();
        BaseAddress = Factory.Start();
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(Chromium.LaunchOptions);
    }

    /// <summary>A fresh tab (its own storage) at the desktop size of the screenshots unless told otherwise; it fails on any script error.</summary>
    public async Task<(IPage Page, List<string> Errors)> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        // A blocked resource or a script error shows here (the content security policy's refusals too); the service's own
        // problem answers (a 401 asking for a key, a 404 the page expects) are not the page's errors.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 40", StringComparison.Ordinal))
                errors.Add($"console: {message.Text}");
        };
        return (page, errors);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        Api?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
    }
}
