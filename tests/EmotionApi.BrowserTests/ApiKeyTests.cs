using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmotionApi.BrowserTests;

/// <summary>With API keys, the page asks once, keeps the key for the tab, and sends it with every request: JSON, uploads, images.</summary>
public class ApiKeyTests(ApiKeySession session) : IClassFixture<ApiKeySession>
{
    [Fact]
    public async Task The_page_asks_for_the_key_once_keeps_it_for_the_tab_and_sends_it_with_uploads_and_images()
    {
        await session.StartAsync();
        var (page, errors) = await session.NewPageAsync();
        await page.GotoAsync("/");

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API key needed" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("GET /api/datasets needs an API key. Send an API key as 'X-Api-Key: <key>'");
        await dialog.GetByLabel("API key").FillAsync(KeyedServiceFactory.Key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#dataset-list")).ToContainTextAsync("No dataset yet.");
        await Expect(page.Locator("#key-state")).ToHaveTextAsync("API key set for this tab");

        // An upload (XMLHttpRequest, for its progress) and the thumbnails (fetched as blobs) carry the key too.
        var zip = FacesZip.ArticleLayout(count: 40, seed: 9, side: 32);
        await page.GetByLabel("Zip file").SetInputFilesAsync(new FilePayload { Name = "keyed.zip", MimeType = "application/zip", Buffer = zip });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Expect(page.Locator("#upload-status")).ToContainTextAsync("Uploaded \"keyed\": 40 images", new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync(
            "() => { const images = [...document.querySelectorAll('.thumbs img')]; return images.length >= 20 && images.every(i => i.complete && i.naturalWidth > 0); }",
            null, new() { Timeout = 30_000 });

        // Kept for the tab: a reload asks no more.
        await page.ReloadAsync();
        await Expect(page.Locator("#dataset-list")).ToContainTextAsync("keyed");
        Assert.Equal(KeyedServiceFactory.Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('emotionapi.apiKey')"));

        Assert.Equal(["GET /api/datasets"], session.Keys.Refused.ToArray());
        Assert.Contains("POST /api/datasets", session.Keys.Accepted);
        Assert.Contains(session.Keys.Accepted, request => request.EndsWith("/thumbnail", StringComparison.Ordinal));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
