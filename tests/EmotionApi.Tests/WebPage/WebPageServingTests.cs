using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EmotionApi.Tests.Infrastructure;
using EmotionApi.WebPage;

namespace EmotionApi.Tests.WebPage;

/// <summary>The page's files as the service serves them (the browser tests use them; these need no browser).</summary>
[Collection(ApiCollection.Name)]
public sealed partial class WebPageServingTests(EmotionApiFactory factory)
{
    private readonly HttpClient client = factory.CreateClient(new() { AllowAutoRedirect = false });

    /// <summary>The page's budget: every file it loads, uncompressed (docs/web-page.md reports the figures).</summary>
    private const int MaxPageBytes = 100 * 1024;

    [Fact]
    public async Task The_page_is_served_at_the_root_with_a_strict_content_security_policy_and_swagger_stays_at_swagger()
    {
        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/app/js/app.js\"></script>", html);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }

    [Fact]
    public async Task Every_file_the_page_and_its_modules_load_is_served_with_its_media_type_and_the_whole_stays_small()
    {
        var html = await client.GetStringAsync("/");
        var pending = new Queue<string>(LocalReferences().Matches(html).Select(match => match.Groups["path"].Value));
        var seen = new Dictionary<string, int> { ["/"] = System.Text.Encoding.UTF8.GetByteCount(html) };
        while (pending.TryDequeue(out var path))
        {
            if (seen.ContainsKey(path)) continue;
            var response = await client.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Equal(path.EndsWith(".css") ? "text/css" : "text/javascript", response.Content.Headers.ContentType?.MediaType);
            seen[path] = (int)response.Content.Headers.ContentLength!.Value;
            // Module imports are relative to their module's folder.
            foreach (Match import in ModuleImports().Matches(text))
                pending.Enqueue(new Uri(new Uri("http://page" + path), import.Groups["path"].Value).AbsolutePath);
        }

        Assert.Contains("/app/app.css", seen.Keys);
        Assert.Equal(["/app/js/api.js", "/app/js/app.js", "/app/js/datasets.js", "/app/js/dom.js", "/app/js/models.js", "/app/js/predict.js",
            "/app/js/results.js", "/app/js/training.js"], seen.Keys.Where(path => path.EndsWith(".js")).Order());
        Assert.True(seen.Values.Sum() < MaxPageBytes, $"The page weighs {seen.Values.Sum()} bytes: " + string.Join(", ", seen.Select(file => $"{file.Key} {file.Value}")));
        // Nothing is embedded that the page does not load.
        Assert.Equal(seen.Keys.Where(path => path != "/").Select(path => path["/app/".Length..]).Append("index.html").Order(),
            new WebAssets().Paths.Order());
    }

    [Fact]
    public async Task Files_come_gzipped_to_clients_that_accept_it_and_a_known_entity_tag_gets_304()
    {
        var plain = await client.GetAsync("/app/js/training.js");
        var request = new HttpRequestMessage(HttpMethod.Get, "/app/js/training.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var zipped = await client.SendAsync(request);
        var bytes = await zipped.Content.ReadAsByteArrayAsync();

        Assert.Equal("gzip", zipped.Content.Headers.ContentEncoding.Single());
        Assert.True(bytes.Length < plain.Content.Headers.ContentLength / 2, $"{bytes.Length} gzipped bytes of {plain.Content.Headers.ContentLength}");
        await using var unzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var text = new StreamReader(unzip);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await text.ReadToEndAsync());
        Assert.Equal(plain.Headers.ETag, zipped.Headers.ETag);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        var again = new HttpRequestMessage(HttpMethod.Get, "/app/js/training.js");
        again.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Unknown_files_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/app/js/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/app/../appsettings.json")).StatusCode);
    }

    [GeneratedRegex("""(?:src|href)="(?<path>/app/[^"]+)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex LocalReferences();

    [GeneratedRegex("""from\s+'(?<path>\./[^']+)'""")]
    private static partial Regex ModuleImports();
}
