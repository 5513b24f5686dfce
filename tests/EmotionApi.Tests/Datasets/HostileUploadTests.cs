using System.IO.Compression;
using System.Net;
using System.Text;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Datasets;

/// <summary>
/// Every hostile or unusable upload: a 4xx problem naming the problem, nothing left in datasets/ or tmp/,
/// and the service still answering.
/// </summary>
public sealed class HostileUploadTests(SmallLimitsFactory factory) : IClassFixture<SmallLimitsFactory>
{
    private async Task<ProblemView> AssertRefusedAsync(byte[] upload, HttpStatusCode status, string title, params string[] detailContains)
    {
        using var client = factory.CreateClient();
        var before = DatasetsClient.StoredEntries(factory.DataPath);

        var response = await client.UploadAsync(upload);

        var problem = await response.AssertProblemAsync(status, title, detailContains);
        Assert.Equal(before, DatasetsClient.StoredEntries(factory.DataPath));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/datasets")).StatusCode);
        return problem;
    }

    [Fact]
    public Task A_file_that_is_not_a_zip_is_refused() =>
        AssertRefusedAsync(Encoding.UTF8.GetBytes("these are not the bytes of a zip archive"),
            HttpStatusCode.BadRequest, "Not a zip archive", "not a zip archive");

    [Fact]
    public Task A_truncated_zip_is_refused()
    {
        var zip = TestZip.ArticleLayout(3, 3).ToArray();
        return AssertRefusedAsync(zip[..(zip.Length / 2)], HttpStatusCode.BadRequest, "Damaged zip archive", "truncated");
    }

    [Fact]
    public Task An_empty_zip_is_refused() =>
        AssertRefusedAsync(new TestZip().ToArray(), HttpStatusCode.BadRequest, "Empty archive", "no files");

    [Fact]
    public Task A_zip_of_only_folders_and_macos_metadata_is_refused_as_empty() =>
        AssertRefusedAsync(
            new TestZip().AddFolder("Positive").Add("__MACOSX/Positive/._a.png", [1, 2, 3]).Add("Negative/.DS_Store", [0]).ToArray(),
            HttpStatusCode.BadRequest, "Empty archive", "no files");

    [Fact]
    public async Task A_zip_without_class_folders_is_refused_and_says_what_it_found()
    {
        var zip = new TestZip()
            .Add("cats/a.png", TestImages.Png(16, 16))
            .Add("dogs/b.png", TestImages.Png(16, 16))
            .Add("readme.txt", "hello"u8.ToArray())
            .ToArray();
        await AssertRefusedAsync(zip, HttpStatusCode.BadRequest, "No class folders",
            "Positive and Negative", "'cats/'", "'dogs/'", "'readme.txt'");
    }

    [Fact]
    public Task Class_folders_under_two_top_folders_are_refused_as_ambiguous() =>
        AssertRefusedAsync(
            new TestZip().Add("a/Positive/1.png", TestImages.Png(16, 16)).Add("b/Negative/2.png", TestImages.Png(16, 16)).ToArray(),
            HttpStatusCode.BadRequest, "Ambiguous class folders", "'a'", "'b'");

    [Fact]
    public Task A_class_with_no_usable_image_is_refused_with_the_skipped_reasons() =>
        AssertRefusedAsync(
            new TestZip()
                .Add("Positive/1.png", TestImages.Png(16, 16))
                .Add("Positive/2.png", TestImages.Png(16, 16, seed: 2))
                .Add("Negative/notes.txt", "not a picture"u8.ToArray())
                .ToArray(),
            HttpStatusCode.BadRequest, "Class without images",
            "The Negative class has no usable image", "'Negative/notes.txt': not an image");

    [Fact]
    public Task A_missing_class_folder_is_refused() =>
        AssertRefusedAsync(TestZip.ArticleLayout(positives: 3, negatives: 0).ToArray(),
            HttpStatusCode.BadRequest, "Class without images", "The Negative class has no image", "no Negative folder");

    [Theory]
    [InlineData("../evil.png", "climbs out of the archive")]
    [InlineData("Positive/../../evil.png", "climbs out of the archive")]
    [InlineData("/etc/x.png", "is an absolute path")]
    [InlineData("C:/Windows/x.png", "is a drive-rooted path")]
    [InlineData("Positive\\..\\..\\evil.png", "contains a backslash")]
    public Task Zip_slip_entry_names_refuse_the_whole_archive(string entryName, string reason) =>
        AssertRefusedAsync(
            TestZip.ArticleLayout(2, 2, top: "data").Add(entryName, TestImages.Png(16, 16)).ToArray(),
            HttpStatusCode.BadRequest, "Unsafe archive entry", $"'{entryName}' {reason}");

    [Fact]
    public Task A_symbolic_link_entry_refuses_the_whole_archive() =>
        AssertRefusedAsync(
            TestZip.ArticleLayout(2, 2).Add("dataset 50:50/Positive/link.png", "/etc/passwd"u8.ToArray(), unixMode: 0xA000 | 0x1FF).ToArray(),
            HttpStatusCode.BadRequest, "Unsafe archive entry", "'dataset 50:50/Positive/link.png' is a symbolic link");

    [Fact]
    public async Task More_entries_than_the_limit_are_refused_before_any_is_read()
    {
        var zip = new TestZip();
        for (var i = 0; i <= SmallLimitsFactory.MaxEntries; i++) zip.Add($"Positive/{i}.txt", [1]);
        await AssertRefusedAsync(zip.ToArray(), HttpStatusCode.BadRequest, "Too many archive entries",
            $"lists {SmallLimitsFactory.MaxEntries + 1} entries", $"limit is {SmallLimitsFactory.MaxEntries}");
    }

    [Fact]
    public async Task A_zip_bomb_entry_is_refused_by_its_compression_ratio_while_reading()
    {
        // 50 MB of zeros deflate to about 50 KB (deflate's ceiling is about 1000:1). With a ratio limit of 20 the
        // reading stops after about 1 MB, long before the 4 MB per-image limit.
        var zip = TestZip.ArticleLayout(2, 2).Add("dataset 50:50/Positive/bomb.png", new byte[50 * 1024 * 1024], CompressionLevel.SmallestSize).ToArray();
        Assert.True(zip.Length < 200 * 1024, $"the bomb should be small; it is {zip.Length} bytes");
        await AssertRefusedAsync(zip, HttpStatusCode.BadRequest, "Compression ratio too high",
            "zip bomb", $"'dataset 50:50/Positive/bomb.png' inflates more than {SmallLimitsFactory.MaxCompressionRatio} times");
    }

    [Fact]
    public async Task An_archive_inflating_past_the_total_limit_is_refused_while_reading()
    {
        // Three 3 MB files stored without compression: each under the 4 MB image limit and the ratio limit,
        // together over the 8 MB total.
        var random = new Random(7);
        var zip = TestZip.ArticleLayout(2, 2);
        for (var i = 0; i < 3; i++)
        {
            var noise = new byte[3 * 1024 * 1024];
            random.NextBytes(noise);
            zip.Add($"dataset 50:50/Negative/noise{i}.bin", noise, CompressionLevel.NoCompression);
        }
        await AssertRefusedAsync(zip.ToArray(), HttpStatusCode.BadRequest, "Archive too large uncompressed",
            $"more than {SmallLimitsFactory.MaxUncompressedMegabytes} MB", "Datasets:MaxUncompressedMegabytes");
    }

    [Fact]
    public async Task A_file_over_the_per_image_limit_is_skipped_and_read_no_further()
    {
        var noise = new byte[(SmallLimitsFactory.MaxImageMegabytes + 1) * 1024 * 1024];
        new Random(11).NextBytes(noise);
        using var client = factory.CreateClient();

        var response = await client.UploadAsync(TestZip.ArticleLayout(2, 2).Add("dataset 50:50/Negative/big.jpg", noise).ToArray());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = await response.ReadSummaryAsync();
        Assert.Equal(4, summary.ImageCount);
        Assert.Equal(new SkippedView("dataset 50:50/Negative/big.jpg",
            $"larger than the {SmallLimitsFactory.MaxImageMegabytes} MB per-image limit (Datasets:MaxImageMegabytes)"), Assert.Single(summary.Skipped));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{summary.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_image_whose_header_claims_100000x100000_pixels_is_refused_when_it_is_its_class_only_image()
    {
        var bomb = TestImages.PngClaiming(100_000, 100_000);
        Assert.True(bomb.Length < 100);
        var zip = new TestZip()
            .Add("Positive/1.png", TestImages.Png(16, 16))
            .Add("Negative/huge.png", bomb)
            .ToArray();
        await AssertRefusedAsync(zip, HttpStatusCode.BadRequest, "Class without images",
            "The Negative class has no usable image", "'Negative/huge.png': 100000x100000 exceeds the 10000x10000 limit");
    }

    [Theory]
    [InlineData(true)]  // refused from its Content-Length before a byte is read
    [InlineData(false)] // chunked: refused by counting the bytes as they arrive
    public async Task An_upload_over_the_request_size_limit_answers_413(bool lengthKnown)
    {
        var oversized = new byte[(SmallLimitsFactory.MaxUploadMegabytes + 1) * 1024 * 1024];
        new Random(3).NextBytes(oversized);
        using var client = factory.CreateClient();
        var before = DatasetsClient.StoredEntries(factory.DataPath);
        HttpContent file = lengthKnown ? new ByteArrayContent(oversized) : new StreamContent(new ForwardOnlyStream(oversized));
        var form = new MultipartFormDataContent { { file, "file", "big.zip" } };
        Assert.Equal(lengthKnown, form.Headers.ContentLength is not null);

        var response = await client.PostAsync("/api/datasets", form);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Upload too large",
            $"limit of {SmallLimitsFactory.MaxUploadMegabytes} MB", "Datasets:MaxUploadMegabytes");
        Assert.Equal(before, DatasetsClient.StoredEntries(factory.DataPath));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/datasets")).StatusCode);
    }

    /// <summary>A body whose length HttpClient cannot know in advance, so it is sent chunked.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task A_request_without_the_file_field_is_a_validation_problem()
    {
        using var client = factory.CreateClient();
        var form = new MultipartFormDataContent { { new StringContent("only a name"), "name" } };

        var response = await client.PostAsync("/api/datasets", form);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "file");
        Assert.Contains("file", problem.Errors!.Keys);
    }

    [Fact]
    public async Task A_request_that_is_not_multipart_answers_415()
    {
        using var client = factory.CreateClient();
        var before = DatasetsClient.StoredEntries(factory.DataPath);

        // Routing refuses it (the endpoint accepts only multipart/form-data) before the handler runs.
        var response = await client.PostAsync("/api/datasets", new ByteArrayContent(TestZip.ArticleLayout(1, 1).ToArray())
        {
            Headers = { ContentType = new("application/zip") },
        });

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
        Assert.Equal(before, DatasetsClient.StoredEntries(factory.DataPath));
    }

    [Fact]
    public async Task A_multipart_body_without_a_boundary_is_a_malformed_request()
    {
        using var client = factory.CreateClient();
        var content = new ByteArrayContent("--x\r\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");

        var response = await client.PostAsync("/api/datasets", content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Malformed multipart body", "boundary");
    }

    [Theory]
    [InlineData("no closing boundary")]
    [InlineData("no boundary line at all")]
    public async Task A_multipart_body_that_ends_before_its_closing_boundary_is_a_malformed_request(string shape)
    {
        using var client = factory.CreateClient();
        var before = DatasetsClient.StoredEntries(factory.DataPath);
        var zip = TestZip.ArticleLayout(2, 2).ToArray();
        byte[] body = shape == "no closing boundary"
            ? [.. "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\n"u8, .. zip]
            : zip;
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");

        var response = await client.PostAsync("/api/datasets", content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Malformed multipart body", "ends before its closing boundary");
        Assert.Equal(before, DatasetsClient.StoredEntries(factory.DataPath));
    }

    [Fact]
    public async Task Concurrent_uploads_each_become_their_own_dataset()
    {
        using var client = factory.CreateClient();
        var uploads = Enumerable.Range(0, 4).Select(i => client.UploadAsync(TestZip.ArticleLayout(2 + i, 2).ToArray(), name: $"upload {i}"));

        var responses = await Task.WhenAll(uploads);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var summaries = await Task.WhenAll(responses.Select(response => response.ReadSummaryAsync()));
        Assert.Equal(4, summaries.Select(summary => summary.Id).Distinct().Count());
        Assert.Equal([4, 5, 6, 7], summaries.OrderBy(summary => summary.Name).Select(summary => summary.ImageCount));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataPath, "tmp")));
        foreach (var summary in summaries)
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{summary.Id}")).StatusCode);
    }
}
