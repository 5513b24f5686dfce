using System.Net;
using System.Net.Http.Json;
using EmotionApi.Datasets;
using EmotionApi.Learning.Data;
using EmotionApi.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace EmotionApi.Tests.Datasets;

[Collection(ApiCollection.Name)]
public sealed class DatasetImagesTests(EmotionApiFactory factory)
{
    private readonly HttpClient client = factory.CreateClient();

    private static readonly byte[] Wide = TestImages.Png(200, 100, seed: 5);

    /// <summary>Three positives (one 200x100, two 24x20) and two negatives, in the article's layout.</summary>
    private async Task<string> UploadAsync()
    {
        var zip = TestZip.ArticleLayout(positives: 2, negatives: 2).Add("dataset 50:50/Positive/wide.png", Wide).ToArray();
        var response = await client.UploadAsync(zip, "images");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadSummaryAsync()).Id;
    }

    [Fact]
    public async Task Images_are_listed_per_class_in_pages_with_their_sizes_and_urls()
    {
        var id = await UploadAsync();

        var positives = (await client.GetFromJsonAsync<DatasetImagePage>($"/api/datasets/{id}/images?class=positive", DatasetsClient.Json))!;
        var all = (await client.GetFromJsonAsync<DatasetImagePage>($"/api/datasets/{id}/images", DatasetsClient.Json))!;
        var second = (await client.GetFromJsonAsync<DatasetImagePage>($"/api/datasets/{id}/images?offset=1&limit=2", DatasetsClient.Json))!;

        Assert.Equal(3, positives.Total);
        Assert.All(positives.Images, image => Assert.Equal(EmotionClass.Positive, image.Class));
        var wide = Assert.Single(positives.Images, image => image.OriginalName.EndsWith("wide.png"));
        Assert.Equal((200, 100, "png", (long)Wide.Length), (wide.Width, wide.Height, wide.Format, wide.Bytes));
        Assert.Equal($"/api/datasets/{id}/images/{wide.Index}", wide.Url);
        Assert.Equal($"/api/datasets/{id}/images/{wide.Index}/thumbnail", wide.ThumbnailUrl);
        Assert.Equal(5, all.Total);
        Assert.Equal(2, all.Images.Count(image => image.Class == EmotionClass.Negative));
        Assert.Equal(all.Images.Skip(1).Take(2).Select(image => image.Index), second.Images.Select(image => image.Index));
    }

    [Fact]
    public async Task An_image_comes_back_as_uploaded_and_is_cached_for_good()
    {
        var id = await UploadAsync();
        var wide = (await client.GetFromJsonAsync<DatasetImagePage>($"/api/datasets/{id}/images?class=positive", DatasetsClient.Json))!
            .Images.Single(image => image.Width == 200);

        var response = await client.GetAsync(wide.Url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Wide, await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        var again = new HttpRequestMessage(HttpMethod.Get, wide.Url);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Thumbnails_keep_the_aspect_ratio_and_never_enlarge()
    {
        var id = await UploadAsync();
        var images = (await client.GetFromJsonAsync<DatasetImagePage>($"/api/datasets/{id}/images", DatasetsClient.Json))!.Images;
        var wide = images.Single(image => image.Width == 200);
        var small = images.First(image => image.Width == 24);

        var wideThumbnail = await client.GetAsync(wide.ThumbnailUrl);
        var largerThumbnail = await client.GetByteArrayAsync(wide.ThumbnailUrl + "?size=160");
        var smallThumbnail = await client.GetByteArrayAsync(small.ThumbnailUrl);

        Assert.Equal("image/jpeg", wideThumbnail.Content.Headers.ContentType?.MediaType);
        var info = Image.Identify(await wideThumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal((96, 48), (info.Width, info.Height));
        Assert.Equal((160, 80), (Image.Identify(largerThumbnail).Width, Image.Identify(largerThumbnail).Height));
        Assert.Equal((24, 20), (Image.Identify(smallThumbnail).Width, Image.Identify(smallThumbnail).Height));
        Assert.Equal("JPEG", Image.DetectFormat(smallThumbnail).Name);
    }

    [Fact]
    public async Task Unknown_datasets_and_images_are_404_and_bad_parameters_400()
    {
        var id = await UploadAsync();
        const string unknown = "00000000000000000000000000000000";

        await (await client.GetAsync($"/api/datasets/{unknown}/images")).AssertProblemAsync(HttpStatusCode.NotFound, "Dataset not found");
        await (await client.GetAsync($"/api/datasets/{id}/images/5")).AssertProblemAsync(HttpStatusCode.NotFound,
            "Image not found", $"Dataset '{id}' has images 0 to 4; there is no image 5.");
        await (await client.GetAsync($"/api/datasets/{id}/images/7/thumbnail")).AssertProblemAsync(HttpStatusCode.NotFound, "Image not found");
        var badClass = await (await client.GetAsync($"/api/datasets/{id}/images?class=happy")).AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request");
        Assert.Equal(["class"], badClass.Errors!.Keys);
        var badPage = await (await client.GetAsync($"/api/datasets/{id}/images?offset=-1&limit=500")).AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request");
        Assert.Equal(["limit", "offset"], badPage.Errors!.Keys.Order());
        var badSize = await (await client.GetAsync($"/api/datasets/{id}/images/0/thumbnail?size=8")).AssertProblemAsync(HttpStatusCode.BadRequest, "Invalid request");
        Assert.Equal(["size"], badSize.Errors!.Keys);
    }

    [Fact]
    public async Task A_deleted_dataset_s_images_are_gone_even_for_a_client_that_cached_them()
    {
        var id = await UploadAsync();
        var first = await client.GetAsync($"/api/datasets/{id}/images/0");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/datasets/{id}")).StatusCode);

        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/datasets/{id}/images/0");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        await (await client.SendAsync(again)).AssertProblemAsync(HttpStatusCode.NotFound, "Dataset not found");
    }
}
