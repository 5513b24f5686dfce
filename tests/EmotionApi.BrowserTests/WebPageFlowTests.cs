using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EmotionApi.Learning.Data;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmotionApi.BrowserTests;

/// <summary>The web page in a real browser, as a person uses it: every step through the page, checked against the API.</summary>
public class WebPageFlowTests(BrowserSession session, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Upload_a_zip_train_tiny_watch_it_succeed_see_the_roc_and_predict_two_images_all_through_the_page()
    {
        await session.StartAsync();
        var clock = Stopwatch.StartNew();
        var (page, errors) = await session.NewPageAsync();
        await page.GotoAsync("/");

        // Datasets: upload a zip with the progress bar, then the summary and the thumbnails of both classes.
        var zip = FacesZip.ArticleLayout(count: 240, seed: 3, side: 48);
        await page.GetByLabel("Zip file").SetInputFilesAsync(new FilePayload { Name = "faces.zip", MimeType = "application/zip", Buffer = zip });
        await page.GetByLabel("Name (optional)").FillAsync("Browser faces");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Expect(page.Locator("#upload-status")).ToContainTextAsync("Uploaded \"Browser faces\": 240 images, 0 skipped.", new() { Timeout = 60_000 });
        var detail = page.Locator("#dataset-detail");
        await Expect(detail.GetByRole(AriaRole.Heading, new() { Name = "Browser faces" })).ToBeVisibleAsync();
        var counts = FacesZip.Faces(240, 3, 48).GroupBy(face => face.Label).ToDictionary(group => group.Key, group => group.Count());
        await Expect(detail).ToContainTextAsync($"240: {counts[EmotionClass.Negative]} Negative, {counts[EmotionClass.Positive]} Positive");
        await WaitForImagesAsync(page, "#thumbs-positive img", minimum: 24);
        await WaitForImagesAsync(page, "#thumbs-negative img", minimum: 24);
        await Screenshots.TakeAsync(page, "datasets", fullPage: false);

        // Training: from the dataset, preset tiny (offered by the API), queued, watched until it succeeds.
        await detail.GetByRole(AriaRole.Link, new() { Name = "Train on this dataset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Training", Exact = true })).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Dataset", new() { Exact = true })).ToHaveValueAsync(await DatasetIdAsync("Browser faces"));
        await page.GetByLabel("Preset", new() { Exact = true }).SelectOptionAsync("tiny");
        await page.GetByRole(AriaRole.Button, new() { Name = "Queue training" }).ClickAsync();
        var state = page.Locator("#job-state");
        await Expect(state).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("queued|running|succeeded"));
        var seen = new List<string>();
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TrainingTimeout)
        {
            var now = await state.TextContentAsync() ?? "";
            if (seen.Count == 0 || seen[^1] != now) seen.Add(now);
            if (now is "succeeded" or "failed" or "cancelled") break;
            if (now == "running" && seen.Count(s => s == "running") == 1) await Screenshots.TakeAsync(page, "training-running", fullPage: false);
            await Task.Delay(250);
        }
        Assert.True(seen[^1] == "succeeded", $"The job went {string.Join(" -> ", seen)}: {await page.Locator("#job-error").TextContentAsync()}");
        await Expect(page.Locator("#job-progress")).ToHaveAttributeAsync("value", "100");
        await Expect(page.Locator("#job-numbers")).ToContainTextAsync("Epoch 15 of 15");
        await WaitForImagesAsync(page, "#job-curve", minimum: 1);
        await Screenshots.TakeAsync(page, "training");

        // Results: the ROC curve loaded, and the page's figures are the API's.
        await page.GetByRole(AriaRole.Link, new() { Name = "See results" }).ClickAsync();
        var roc = page.Locator("#results-body img[alt^='ROC curve.']");
        await Expect(roc).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await roc.ElementHandleAsync());
        var naturalWidth = await roc.EvaluateAsync<int>("img => img.naturalWidth");
        Assert.True(naturalWidth > 0, $"The ROC image's natural width is {naturalWidth}");
        var modelId = (await page.EvaluateAsync<string>("() => location.hash")).Split('/')[1];
        using var evaluation = JsonDocument.Parse(await session.Api.GetStringAsync($"/api/models/{modelId}/evaluation"));
        var accuracy = evaluation.RootElement.GetProperty("accuracy").GetDouble();
        var auc = evaluation.RootElement.GetProperty("rocAuc").GetDouble();
        await Expect(page.Locator("#results-body .compare")).ToContainTextAsync(Percent(accuracy));
        Assert.Contains(FormattableString.Invariant($"AUC {auc:0.000}"), await roc.GetAttributeAsync("alt"));
        await WaitForImagesAsync(page, "#results-body img", minimum: 3);
        await Screenshots.TakeAsync(page, "results");

        await page.GetByRole(AriaRole.Link, new() { Name = "Models" }).ClickAsync();
        await Expect(page.Locator("#model-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = $"Use model {modelId[..8]} by default" })).ToBeCheckedAsync();
        await Screenshots.TakeAsync(page, "models");

        // Prediction: two pictures the model never saw, one of each class; the page shows what the API answers.
        await page.GetByRole(AriaRole.Link, new() { Name = "Predict" }).ClickAsync();
        var pictures = await OneRightOfEachClassAsync(FacesZip.Faces(24, seed: 777, side: 48));
        await page.GetByLabel("Drop images here, or press to choose them").SetInputFilesAsync(
            pictures.Select(face => new FilePayload { Name = face.FileName, MimeType = "image/png", Buffer = face.Png }));
        var cards = page.Locator("#predictions li");
        await Expect(cards).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        var labels = await page.Locator("#predictions [data-label]").AllTextContentsAsync();
        var expected = await PredictThroughApiAsync(pictures);
        Assert.Equal(["Positive", "Negative"], labels);
        for (var i = 0; i < pictures.Length; i++)
        {
            Assert.Equal(expected[i].Label, labels[i]);
            await Expect(cards.Nth(i)).ToContainTextAsync(pictures[i].FileName);
            await Expect(cards.Nth(i).Locator(".bar-row").First).ToContainTextAsync(Percent(expected[i].Positive));
        }
        await WaitForImagesAsync(page, "#predictions img", minimum: 2);
        await Screenshots.TakeAsync(page, "predict");

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        output.WriteLine($"Browser flow: {clock.Elapsed.TotalSeconds:F1} s (states seen: {string.Join(" -> ", seen)}; labels {string.Join(", ", labels)}).");
    }

    [Fact]
    public async Task The_page_works_from_the_keyboard_labels_every_control_and_fits_a_phone()
    {
        await session.StartAsync();
        var (page, errors) = await session.NewPageAsync(390, 844);
        await page.GotoAsync("/#datasets");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Datasets", Exact = true })).ToBeVisibleAsync();

        // The first Tab reaches the skip link; then the views' links, and Enter opens one with its heading focused.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        var predictLink = page.GetByRole(AriaRole.Link, new() { Name = "Predict" });
        for (var i = 0; i < 10 && !await predictLink.EvaluateAsync<bool>("link => link === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Predict", Exact = true })).ToBeFocusedAsync();
        await Expect(page.Locator("#view-predict")).ToBeVisibleAsync();
        await Expect(page.Locator("#view-datasets")).ToBeHiddenAsync();

        // Every form control of every view has an accessible name (a label, or aria-label).
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, select, textarea, button')].filter(c => !(c.labels?.length || c.getAttribute('aria-label') || c.textContent.trim())).map(c => c.id || c.name || c.outerHTML)");
        Assert.Empty(unlabelled);

        // Readable on a phone: nothing wider than the screen but the tables, which scroll inside their box.
        await page.GotoAsync("/#training");
        await Expect(page.GetByLabel("Preset", new() { Exact = true })).Not.ToHaveCountAsync(0);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than a 390 px screen");
        await Screenshots.TakeAsync(page, "phone-training", fullPage: false);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private async Task<string> DatasetIdAsync(string name)
    {
        using var datasets = JsonDocument.Parse(await session.Api.GetStringAsync("/api/datasets"));
        return datasets.RootElement.EnumerateArray().First(dataset => dataset.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A smiling and a frowning face the model never saw and labels right (a tiny model misses some: the page's answer is
    /// compared with the API's either way, and the screenshot shows one of each).
    /// </summary>
    private async Task<GeneratedImage[]> OneRightOfEachClassAsync(IReadOnlyList<GeneratedImage> faces)
    {
        var answers = await PredictThroughApiAsync(faces);
        GeneratedImage Pick(EmotionClass label) =>
            faces.Where((face, i) => face.Label == label && answers[i].Label == label.ToString()).FirstOrDefault()
            ?? throw new InvalidOperationException($"The model labelled none of the {faces.Count(face => face.Label == label)} unseen {label} faces right.");
        return [Pick(EmotionClass.Positive), Pick(EmotionClass.Negative)];
    }

    private async Task<(string Label, double Positive)[]> PredictThroughApiAsync(IEnumerable<GeneratedImage> pictures)
    {
        using var form = new MultipartFormDataContent();
        foreach (var picture in pictures)
        {
            var part = new ByteArrayContent(picture.Png);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(part, "files", picture.FileName);
        }
        var response = await session.Api.PostAsync("/api/predict", form);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("results").EnumerateArray()
            .Select(result => (result.GetProperty("label").GetString()!, result.GetProperty("positive").GetDouble()))
            .ToArray();
    }

    /// <summary>Waits until at least <paramref name="minimum"/> images match and every one of them has loaded with a width.</summary>
    private static Task WaitForImagesAsync(IPage page, string selector, int minimum) =>
        page.WaitForFunctionAsync(
            "([selector, minimum]) => { const images = [...document.querySelectorAll(selector)]; return images.length >= minimum && images.every(i => i.complete && i.naturalWidth > 0); }",
            new object[] { selector, minimum }, new PageWaitForFunctionOptions { Timeout = 30_000 });

    /// <summary>As the page writes a share: one decimal and a per cent sign.</summary>
    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
