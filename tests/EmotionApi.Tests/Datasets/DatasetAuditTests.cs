using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionApi.Learning.Audit;
using EmotionApi.Learning.Images;
using EmotionApi.Tests.Infrastructure;

namespace EmotionApi.Tests.Datasets;

/// <summary>The near-duplicate audit through the API: what an upload's hashes reveal, and datasets stored before hashing.</summary>
[Collection(ApiCollection.Name)]
public sealed class DatasetAuditTests(EmotionApiFactory factory)
{
    private static readonly byte[] Alpha = TestImages.Distinct(1);
    private static readonly byte[] AlphaSmallerJpeg = TestImages.Distinct(1, scale: 0.75, jpeg: true);
    private static readonly byte[] Beta = TestImages.Distinct(2);
    private static readonly byte[] Gamma = TestImages.Distinct(3);
    private static readonly byte[] Delta = TestImages.Distinct(4);

    /// <summary>
    /// Positive: alpha, a smaller JPEG copy of alpha, beta. Negative: gamma, delta, and beta's very bytes: one duplicate
    /// group within Positive and one label conflict.
    /// </summary>
    private static byte[] ZipWithCopies() => new TestZip()
        .Add("set/Positive/alpha.png", Alpha)
        .Add("set/Positive/alpha-small.jpg", AlphaSmallerJpeg)
        .Add("set/Positive/beta.png", Beta)
        .Add("set/Negative/gamma.png", Gamma)
        .Add("set/Negative/delta.png", Delta)
        .Add("set/Negative/beta-again.png", Beta)
        .ToArray();

    [Fact]
    public void The_test_pictures_are_distinct_and_the_copy_is_near()
    {
        // The premise of the tests below, measured with the service's hash: any other outcome is a broken fixture.
        ulong Hash(byte[] image) => PerceptualHash.Compute(image, ImageLimits.Default);
        var distinct = new[] { Alpha, Beta, Gamma, Delta }.Select(Hash).ToArray();

        Assert.All(distinct.SelectMany((a, i) => distinct.Skip(i + 1).Select(b => PerceptualHash.Distance(a, b))),
            distance => Assert.True(distance > 2 * DuplicateFinder.DefaultNearDistance, $"distance {distance}"));
        Assert.InRange(PerceptualHash.Distance(Hash(Alpha), Hash(AlphaSmallerJpeg)), 0, DuplicateFinder.DefaultNearDistance);
    }

    [Fact]
    public async Task The_audit_lists_the_label_conflict_and_the_duplicate_and_the_summary_counts_them()
    {
        using var client = factory.CreateClient();
        var id = (await (await client.UploadAsync(ZipWithCopies())).ReadSummaryAsync()).Id;

        var audit = await client.GetFromJsonAsync<AuditView>($"/api/datasets/{id}/audit", DatasetsClient.Json);
        var summary = await client.GetFromJsonAsync<JsonObject>($"/api/datasets/{id}");

        Assert.Equal((id, 6, 10, 1, 1), (audit!.DatasetId, audit.ImageCount, audit.NearDistance, audit.LabelConflictCount, audit.DuplicateCount));
        var conflict = Assert.Single(audit.LabelConflicts);
        Assert.Equal([new("set/Positive/beta.png", "positive"), new AuditImageView("set/Negative/beta-again.png", "negative")],
            conflict.Images.OrderByDescending(image => image.Class));
        Assert.Equal(0, conflict.MaxDistance);
        var duplicate = Assert.Single(audit.Duplicates);
        Assert.Equal(["set/Positive/alpha-small.jpg", "set/Positive/alpha.png"], duplicate.Images.Select(image => image.File).Order());
        Assert.All(duplicate.Images, image => Assert.Equal("positive", image.Class));
        Assert.InRange(duplicate.MaxDistance, 0, 10);
        Assert.Equal(1, summary!["labelConflictCount"]!.GetValue<int>());
        Assert.Equal(1, summary["duplicateCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_near_distance_is_configurable()
    {
        // At distance 0 only identical hashes are near: the resized JPEG copy no longer counts, the identical bytes do.
        using var strict = new EmotionApiFactory { Settings = new Dictionary<string, string?> { ["Datasets:Audit:NearDistance"] = "0" } };
        using var client = strict.CreateClient();
        var id = (await (await client.UploadAsync(ZipWithCopies())).ReadSummaryAsync()).Id;

        var audit = await client.GetFromJsonAsync<AuditView>($"/api/datasets/{id}/audit", DatasetsClient.Json);

        Assert.Equal((0, 1, 0), (audit!.NearDistance, audit.LabelConflictCount, audit.DuplicateCount));
    }

    [Fact]
    public async Task A_dataset_stored_before_hashing_is_audited_on_first_request_and_keeps_its_hashes()
    {
        // Two hosts on one data folder (the first deletes it when disposed, last).
        using var before = new EmotionApiFactory();
        var data = before.DataPath;
        using var client = before.CreateClient();
        var id = (await (await client.UploadAsync(ZipWithCopies())).ReadSummaryAsync()).Id;
        // What the previous version wrote: the same manifest without hashes.
        var manifestPath = Path.Combine(data, "datasets", id, "dataset.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        foreach (var image in manifest["images"]!.AsArray()) image!.AsObject().Remove("hash");
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

        using var after = new EmotionApiFactory { DataPath = data };
        using var restarted = after.CreateClient();
        var unaudited = await restarted.GetFromJsonAsync<JsonObject>($"/api/datasets/{id}");
        Assert.Null(unaudited!["labelConflictCount"]);
        Assert.Null(unaudited["duplicateCount"]);
        Assert.False(File.Exists(Path.Combine(data, "datasets", id, "hashes.json")));

        var audit = await restarted.GetFromJsonAsync<AuditView>($"/api/datasets/{id}/audit", DatasetsClient.Json);

        Assert.Equal((1, 1), (audit!.LabelConflictCount, audit.DuplicateCount));
        Assert.True(File.Exists(Path.Combine(data, "datasets", id, "hashes.json")));
        var audited = await restarted.GetFromJsonAsync<JsonObject>($"/api/datasets/{id}");
        Assert.Equal(1, audited!["labelConflictCount"]!.GetValue<int>());
        // The manifest itself is never rewritten.
        Assert.DoesNotContain("\"hash\"", await File.ReadAllTextAsync(manifestPath));
    }

    [Fact]
    public async Task A_dataset_stored_before_hashing_whose_image_no_longer_decodes_is_a_server_problem_naming_the_image()
    {
        using var before = new EmotionApiFactory();
        var data = before.DataPath;
        using var client = before.CreateClient();
        var id = (await (await client.UploadAsync(ZipWithCopies())).ReadSummaryAsync()).Id;
        var manifestPath = Path.Combine(data, "datasets", id, "dataset.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        foreach (var image in manifest["images"]!.AsArray()) image!.AsObject().Remove("hash");
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        var broken = manifest["images"]![1]!["path"]!.GetValue<string>();
        await File.WriteAllBytesAsync(Path.Combine(data, "datasets", id, broken), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        using var after = new EmotionApiFactory { DataPath = data };
        using var restarted = after.CreateClient();
        var response = await restarted.GetAsync($"/api/datasets/{id}/audit");

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, "Dataset unreadable",
            $"Dataset '{id}' cannot be audited: a stored image no longer reads ({broken}: ");
        Assert.DoesNotContain(data, problem.Detail);
        Assert.False(File.Exists(Path.Combine(data, "datasets", id, "hashes.json")));
        Assert.Equal(HttpStatusCode.OK, (await restarted.GetAsync($"/api/datasets/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_audit_of_an_unknown_dataset_is_404()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/api/datasets/0123456789abcdef0123456789abcdef/audit");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "Dataset not found", "0123456789abcdef0123456789abcdef");
    }

    private sealed record AuditView(
        string DatasetId, int ImageCount, int NearDistance, int LabelConflictCount, int DuplicateCount,
        List<GroupView> LabelConflicts, List<GroupView> Duplicates);

    private sealed record GroupView(List<AuditImageView> Images, int MaxDistance);

    private sealed record AuditImageView(string File, string Class);
}
