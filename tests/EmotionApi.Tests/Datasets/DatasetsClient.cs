using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EmotionApi.Shared;

namespace EmotionApi.Tests.Datasets;

/// <summary>The API as a client calls it, and what it left in the data folder.</summary>
internal static class DatasetsClient
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] zip, string? name = null, string fileName = "dataset.zip")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(zip);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(file, "file", fileName);
        if (name is not null) form.Add(new StringContent(name), "name");
        return client.PostAsync("/api/datasets", form);
    }

    public static async Task<DatasetSummaryView> ReadSummaryAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<DatasetSummaryView>(Json))!;

    /// <summary>Everything under datasets/ and tmp/ of a host's data folder, to prove a refused upload left nothing.</summary>
    public static string[] StoredEntries(string dataPath) =>
        new[] { "datasets", "tmp" }
            .Select(folder => Path.Combine(dataPath, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonConventions.Apply(options);
        return options;
    }
}
