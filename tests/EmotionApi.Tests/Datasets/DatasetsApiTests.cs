using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionApi.Datasets;
using EmotionApi.Learning.Data;
using EmotionApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.Tests.Datasets;

[Collection(ApiCollection.Name)]
public sealed class DatasetsApiTests(EmotionApiFactory factory)
{
    private static readonly byte[] Positive1 = TestImages.Png(20, 10, seed: 1);
    private static readonly byte[] Positive2 = TestImages.Jpeg(30, 12);
    private static readonly byte[] Positive3 = TestImages.Png(40, 14, seed: 3);
    private static readonly byte[] Negative1 = TestImages.Png(50, 16, seed: 4);
    private static readonly byte[] Negative2 = TestImages.Png(60, 18, seed: 5);

    /// <summary>3 Positive and 2 Negative images of known sizes, one junk file, one stray file, macOS litter.</summary>
    private static byte[] KnownAnswerZip() => new TestZip()
        .AddFolder("set")
        .AddFolder("set/Positive")
        .Add("set/Positive/p1.png", Positive1)
        .Add("set/Positive/p2.jpg", Positive2)
        .Add("set/Positive/notes.txt", "not an image"u8.ToArray())
        .Add("set/POSITIVE/p3.png", Positive3)
        .Add("set/Negative/n1.png", Negative1)
        .Add("set/negative/n2.png", Negative2)
        .Add("set/readme.md", "# about"u8.ToArray())
        .Add("set/Positive/.DS_Store", [0, 0, 0, 1])
        .Add("__MACOSX/set/Positive/._p1.png", [0, 5, 22, 7])
        .ToArray();

    [Fact]
    public async Task Upload_answers_201_with_the_summary_of_a_known_dataset_and_its_location()
    {
        using var client = factory.CreateClient();

        var response = await client.UploadAsync(KnownAnswerZip(), name: "known answer");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = await response.ReadSummaryAsync();
        Assert.Matches("^[0-9a-f]{32}$", summary.Id);
        Assert.Equal($"/api/datasets/{summary.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("known answer", summary.Name);
        Assert.Equal("upload", summary.Source);
        Assert.Equal(5, summary.ImageCount);
        Assert.Equal([new("negative", 2, 0.4), new ClassCountView("positive", 3, 0.6)], summary.Classes);
        Assert.Equal(0.6, summary.PositiveShare);
        Assert.Equal(0.6, summary.NaiveBaselineAccuracy);
        Assert.Equal("positive", summary.NaiveBaselineClass);
        Assert.Equal(new DimensionView(20, 40, 60), summary.ImageSizes.Width);
        Assert.Equal(new DimensionView(10, 14, 18), summary.ImageSizes.Height);
        Assert.Equal(2, summary.SkippedCount);
        Assert.Equal(
            [new("set/Positive/notes.txt", "not an image"), new SkippedView("set/readme.md", "not inside a Positive or Negative folder")],
            summary.Skipped);
        Assert.True(summary.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5) && summary.CreatedAt <= DateTimeOffset.UtcNow);

        var read = await client.GetFromJsonAsync<DatasetSummaryView>(response.Headers.Location, DatasetsClient.Json);
        Assert.Equivalent(summary, read, strict: true);
    }

    [Fact]
    public async Task Accepted_images_are_stored_as_their_original_bytes_under_names_the_service_chooses()
    {
        using var client = factory.CreateClient();
        var summary = await (await client.UploadAsync(KnownAnswerZip())).ReadSummaryAsync();

        var images = factory.Services.GetRequiredService<DatasetStore>().GetImages(summary.Id)!;

        var folder = Path.Combine(factory.DataPath, "datasets", summary.Id);
        Assert.Equal(5, images.Count);
        Assert.All(images, image =>
        {
            Assert.Matches(new Regex(@"^images/(positive|negative)/\d{5}\.(png|jpg)$"), image.Id);
            Assert.Equal(Path.Combine(folder, image.Id), image.FilePath);
            Assert.StartsWith($"images/{image.Label.ToString().ToLowerInvariant()}/", image.Id);
        });
        var stored = images.Select(image => (image.Label, Bytes: File.ReadAllBytes(image.FilePath))).ToList();
        byte[][] expectedPositive = [Positive1, Positive2, Positive3], expectedNegative = [Negative1, Negative2];
        Assert.Equal(expectedPositive, stored.Where(image => image.Label == EmotionClass.Positive).Select(image => image.Bytes));
        Assert.Equal(expectedNegative, stored.Where(image => image.Label == EmotionClass.Negative).Select(image => image.Bytes));
        Assert.EndsWith(".jpg", images[1].Id); // the JPEG keeps its format, whatever the upload called it

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "dataset.json")));
        var first = manifest.RootElement.GetProperty("images")[0];
        Assert.Equal("set/Positive/p1.png", first.GetProperty("originalName").GetString());
        Assert.Equal("png", first.GetProperty("format").GetString());
        Assert.Equal(20, first.GetProperty("width").GetInt32());
        Assert.Equal(Positive1.Length, first.GetProperty("bytes").GetInt64());
        Assert.Equal(2, manifest.RootElement.GetProperty("skipped").GetArrayLength());
    }

    [Fact]
    public async Task Class_folders_at_the_archive_root_are_found_and_the_file_name_names_the_dataset()
    {
        using var client = factory.CreateClient();
        var zip = new TestZip()
            .Add("positive/a.png", TestImages.Png(16, 16))
            .Add("Negative/b.png", TestImages.Png(16, 16, seed: 9))
            .Add("Negative/c.png", TestImages.Png(16, 16, seed: 10))
            .ToArray();

        var response = await client.UploadAsync(zip, fileName: "Holiday photos.zip");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = await response.ReadSummaryAsync();
        Assert.Equal("Holiday photos", summary.Name);
        Assert.Equal(3, summary.ImageCount);
        Assert.Equal(1.0 / 3, summary.PositiveShare, precision: 12);
        Assert.Equal("negative", summary.NaiveBaselineClass);
        Assert.Equal(2.0 / 3, summary.NaiveBaselineAccuracy, precision: 12);
    }

    [Fact]
    public async Task Images_in_sub_folders_of_a_class_folder_belong_to_that_class_and_a_tie_predicts_positive()
    {
        using var client = factory.CreateClient();
        var zip = new TestZip()
            .Add("Positive/a.png", TestImages.Png(16, 16))
            .Add("Positive/2019/summer/d.png", TestImages.Png(16, 16, seed: 4))
            .Add("Negative/b.png", TestImages.Png(16, 16, seed: 9))
            .Add("Negative/old/c.png", TestImages.Png(16, 16, seed: 10))
            .ToArray();

        var summary = await (await client.UploadAsync(zip)).ReadSummaryAsync();

        Assert.Equal([new("negative", 2, 0.5), new ClassCountView("positive", 2, 0.5)], summary.Classes);
        Assert.Equal(0.5, summary.NaiveBaselineAccuracy);
        Assert.Equal("positive", summary.NaiveBaselineClass);
        Assert.Equal(new DimensionView(16, 16, 16), summary.ImageSizes.Width);
        Assert.Empty(summary.Skipped);
    }

    [Fact]
    public async Task An_image_claiming_huge_dimensions_is_skipped_with_the_reason_when_others_remain()
    {
        using var client = factory.CreateClient();
        var zip = TestZip.ArticleLayout(2, 2).Add("dataset 50:50/Positive/huge.png", TestImages.PngClaiming(100_000, 100_000)).ToArray();

        var summary = await (await client.UploadAsync(zip)).ReadSummaryAsync();

        Assert.Equal(4, summary.ImageCount);
        var skipped = Assert.Single(summary.Skipped);
        Assert.Equal("dataset 50:50/Positive/huge.png", skipped.Path);
        Assert.Equal("100000x100000 exceeds the 10000x10000 limit", skipped.Reason);
    }

    [Fact]
    public async Task The_list_holds_every_dataset_newest_first()
    {
        using var client = factory.CreateClient();
        var older = await (await client.UploadAsync(TestZip.ArticleLayout(1, 1).ToArray(), name: "older")).ReadSummaryAsync();
        var newer = await (await client.UploadAsync(TestZip.ArticleLayout(1, 1).ToArray(), name: "newer")).ReadSummaryAsync();

        var list = (await client.GetFromJsonAsync<List<DatasetSummaryView>>("/api/datasets", DatasetsClient.Json))!;

        var ids = list.Select(summary => summary.Id).ToList();
        Assert.True(ids.IndexOf(newer.Id) >= 0 && ids.IndexOf(newer.Id) < ids.IndexOf(older.Id), string.Join(", ", ids));
        Assert.Equal(list.OrderByDescending(summary => summary.CreatedAt).Select(summary => summary.Id), ids);
        Assert.Equivalent(newer, list.Single(summary => summary.Id == newer.Id), strict: true);
    }

    [Fact]
    public async Task Delete_answers_204_and_the_dataset_is_gone()
    {
        using var client = factory.CreateClient();
        var summary = await (await client.UploadAsync(TestZip.ArticleLayout(1, 1).ToArray())).ReadSummaryAsync();
        var store = factory.Services.GetRequiredService<DatasetStore>();
        Assert.True(store.Exists(summary.Id));

        var deleted = await client.DeleteAsync($"/api/datasets/{summary.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await client.GetAsync($"/api/datasets/{summary.Id}")).AssertProblemAsync(
            HttpStatusCode.NotFound, "Dataset not found", summary.Id);
        await (await client.DeleteAsync($"/api/datasets/{summary.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, "Dataset not found");
        Assert.False(Directory.Exists(Path.Combine(factory.DataPath, "datasets", summary.Id)));
        Assert.False(store.Exists(summary.Id));
        Assert.Null(store.GetImages(summary.Id));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataPath, "tmp")), path => path.Contains(summary.Id));
        var list = (await client.GetFromJsonAsync<List<DatasetSummaryView>>("/api/datasets", DatasetsClient.Json))!;
        Assert.DoesNotContain(list, listed => listed.Id == summary.Id);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")] // well-formed, unknown
    [InlineData("0123456789ABCDEF0123456789ABCDEF")] // ids are lower case
    [InlineData("not-an-id")]
    [InlineData("..%2F..%2Fetc")]
    public async Task Unknown_or_malformed_ids_answer_404(string id)
    {
        using var client = factory.CreateClient();

        await (await client.GetAsync($"/api/datasets/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "Dataset not found");
        await (await client.DeleteAsync($"/api/datasets/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "Dataset not found");
        Assert.False(factory.Services.GetRequiredService<DatasetStore>().Exists(id));
        Assert.Null(factory.Services.GetRequiredService<DatasetStore>().GetImages(id));
    }

    [Fact]
    public async Task The_sample_endpoint_makes_a_deterministic_synthetic_dataset()
    {
        using var client = factory.CreateClient();
        var request = new { count = 20, seed = 5, width = 32, height = 24 };

        var first = await client.PostAsJsonAsync("/api/datasets/sample", request);
        var second = await client.PostAsJsonAsync("/api/datasets/sample", request);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var summary = await first.ReadSummaryAsync();
        Assert.Equal($"/api/datasets/{summary.Id}", first.Headers.Location?.OriginalString);
        Assert.Equal("sample", summary.Source);
        Assert.Equal("Synthetic faces (seed 5, 20 images, 32x24)", summary.Name);
        Assert.Equal(20, summary.ImageCount);
        Assert.Equal(summary.Classes.Sum(c => c.Count), summary.ImageCount);
        Assert.All(summary.Classes, c => Assert.InRange(c.Count, 1, 19));
        Assert.Equal(new DimensionView(32, 32, 32), summary.ImageSizes.Width);
        Assert.Equal(new DimensionView(24, 24, 24), summary.ImageSizes.Height);
        Assert.Empty(summary.Skipped);

        var again = await second.ReadSummaryAsync();
        Assert.NotEqual(summary.Id, again.Id);
        var store = factory.Services.GetRequiredService<DatasetStore>();
        List<(EmotionClass, string)> Stored(string id) => store.GetImages(id)!
            .Select(image => (image.Label, Convert.ToBase64String(File.ReadAllBytes(image.FilePath)))).ToList();
        Assert.Equal(Stored(summary.Id), Stored(again.Id));
    }

    [Fact]
    public async Task The_sample_endpoint_accepts_an_empty_body_with_the_defaults()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/datasets/sample", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = await response.ReadSummaryAsync();
        Assert.Equal(SampleDatasetRequest.DefaultCount, summary.ImageCount);
        Assert.Equal(new DimensionView(64, 64, 64), summary.ImageSizes.Width);
        Assert.InRange(summary.PositiveShare, 0.45, 0.6); // the article's data: about 53% Positive
        Assert.Equal("positive", summary.NaiveBaselineClass);
    }

    [Fact]
    public async Task The_sample_endpoint_names_every_field_out_of_range()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/datasets/sample", new { count = 5, width = 2000, height = 8, name = new string('x', 201) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request", "count", "width", "height", "name");
        Assert.Equal(["count", "height", "name", "width"], problem.Errors!.Keys.Order());
        Assert.Equal("Must be between 10 and 5000; got 5.", Assert.Single(problem.Errors["count"]));
        Assert.Equal("Must be between 16 and 1024 pixels; got 2000.", Assert.Single(problem.Errors["width"]));
    }

    [Fact]
    public async Task A_second_node_on_the_same_data_folder_sees_datasets_and_their_deletion()
    {
        var settings = new Dictionary<string, string?> { ["Datasets:Sample:CreateOnStartup"] = "false" };
        using var nodeA = new EmotionApiFactory { Settings = settings };
        using var nodeB = new EmotionApiFactory { DataPath = nodeA.DataPath, Settings = settings };
        using var clientA = nodeA.CreateClient();
        using var clientB = nodeB.CreateClient();
        var summary = await (await clientA.UploadAsync(TestZip.ArticleLayout(2, 1).ToArray(), name: "shared")).ReadSummaryAsync();
        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync($"/api/datasets/{summary.Id}")).StatusCode); // cached on A

        var onB = await clientB.GetFromJsonAsync<DatasetSummaryView>($"/api/datasets/{summary.Id}", DatasetsClient.Json);
        Assert.Equivalent(summary, onB, strict: true);
        Assert.Equal(HttpStatusCode.NoContent, (await clientB.DeleteAsync($"/api/datasets/{summary.Id}")).StatusCode);

        await (await clientA.GetAsync($"/api/datasets/{summary.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, "Dataset not found");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_datasets_endpoints()
    {
        using var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        var upload = paths.GetProperty("/api/datasets").GetProperty("post");
        Assert.Equal("UploadDataset", upload.GetProperty("operationId").GetString());
        Assert.Equal("Datasets", upload.GetProperty("tags")[0].GetString());
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        var responses = upload.GetProperty("responses");
        foreach (var status in new[] { "201", "400", "413", "415" }) Assert.True(responses.TryGetProperty(status, out _), status);

        Assert.Equal("ListDatasets", paths.GetProperty("/api/datasets").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("CreateSampleDataset", paths.GetProperty("/api/datasets/sample").GetProperty("post").GetProperty("operationId").GetString());
        var byId = paths.GetProperty("/api/datasets/{id}");
        Assert.True(byId.GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(byId.GetProperty("delete").GetProperty("responses").TryGetProperty("204", out _));
    }
}
