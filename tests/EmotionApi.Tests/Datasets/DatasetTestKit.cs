using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EmotionApi.Infrastructure;
using EmotionApi.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace EmotionApi.Tests.Datasets;

/// <summary>Builds zips in memory, entry by entry, including the malformed ones an attacker would send.</summary>
internal sealed class TestZip
{
    private readonly List<Action<ZipArchive>> _entries = [];

    public TestZip Add(string name, byte[] content, CompressionLevel level = CompressionLevel.Fastest, int? unixMode = null)
    {
        _entries.Add(zip =>
        {
            var entry = zip.CreateEntry(name, level);
            if (unixMode is { } mode) entry.ExternalAttributes = mode << 16;
            using var stream = entry.Open();
            stream.Write(content);
        });
        return this;
    }

    public TestZip AddFolder(string name)
    {
        _entries.Add(zip => zip.CreateEntry(name.TrimEnd('/') + "/"));
        return this;
    }

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var add in _entries) add(zip);
        return buffer.ToArray();
    }

    /// <summary>The seed's layout: <c>dataset 50:50/{Positive|Negative}/...</c> with small valid PNGs.</summary>
    public static TestZip SeedLayout(int positives, int negatives, string top = "dataset 50:50")
    {
        var zip = new TestZip();
        for (var i = 0; i < positives; i++) zip.Add($"{top}/Positive/smile{i}.png", TestImages.Png(24, 20, seed: i));
        for (var i = 0; i < negatives; i++) zip.Add($"{top}/Negative/frown{i}.png", TestImages.Png(24, 20, seed: 100 + i));
        return zip;
    }
}

internal static class TestImages
{
    /// <summary>A valid PNG of the given size with a pattern that depends on <paramref name="seed"/>.</summary>
    public static byte[] Png(int width, int height, int seed = 0)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new Rgb24((byte)(x * 7 + seed), (byte)(y * 13 + seed * 3), (byte)(x ^ y ^ seed));
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    public static byte[] Jpeg(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 120, 40));
        using var output = new MemoryStream();
        image.SaveAsJpeg(output);
        return output.ToArray();
    }

    /// <summary>
    /// A decompression bomb's header: a PNG whose IHDR (with a valid CRC) claims <paramref name="width"/> x
    /// <paramref name="height"/> pixels, followed by a tiny IDAT and IEND. A few dozen bytes.
    /// </summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        output.Write(crc);
    }

    /// <summary>CRC-32 as PNG chunks use it (ISO 3309, reflected, polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}

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
        ServiceDefaults.ConfigureJson(options);
        return options;
    }
}

/// <summary>The summary as a client reads it (strings for enums, to check their spelling on the wire).</summary>
internal sealed record DatasetSummaryView(
    string Id, string Name, DateTimeOffset CreatedAt, string Source, int ImageCount,
    List<ClassCountView> Classes, double PositiveShare, double NaiveBaselineAccuracy, string NaiveBaselineClass,
    ImageSizesView ImageSizes, int SkippedCount, List<SkippedView> Skipped);

internal sealed record ClassCountView(string Class, int Count, double Share);
internal sealed record ImageSizesView(DimensionView Width, DimensionView Height);
internal sealed record DimensionView(int Min, double Median, int Max);
internal sealed record SkippedView(string Path, string Reason);

/// <summary>A host of its own (own data folder, no start-up sample) with small limits, so limits can be crossed cheaply.</summary>
public sealed class SmallLimitsFactory : EmotionApiFactory
{
    public const int MaxUploadMegabytes = 12, MaxEntries = 40, MaxUncompressedMegabytes = 8, MaxImageMegabytes = 4, MaxCompressionRatio = 20;

    public SmallLimitsFactory()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Datasets:Sample:CreateOnStartup"] = "false",
            ["Datasets:MaxUploadMegabytes"] = $"{MaxUploadMegabytes}",
            ["Datasets:MaxEntries"] = $"{MaxEntries}",
            ["Datasets:MaxUncompressedMegabytes"] = $"{MaxUncompressedMegabytes}",
            ["Datasets:MaxImageMegabytes"] = $"{MaxImageMegabytes}",
            ["Datasets:MaxCompressionRatio"] = $"{MaxCompressionRatio}",
        };
    }
}
