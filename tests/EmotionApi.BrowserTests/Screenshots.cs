using Microsoft.Playwright;

namespace EmotionApi.BrowserTests;

/// <summary>
/// With EMOTIONAPI_SCREENSHOTS set to a folder, the browser tests save a screenshot of each view there, as they see it
/// (docs/screenshots/ is made so: see docs/web-page.md). Without it they save nothing.
/// </summary>
internal static class Screenshots
{
    private static readonly string? Folder = Environment.GetEnvironmentVariable("EMOTIONAPI_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

    public static async Task TakeAsync(IPage page, string name, bool fullPage = true)
    {
        if (Folder is null) return;
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = fullPage });
    }
}
