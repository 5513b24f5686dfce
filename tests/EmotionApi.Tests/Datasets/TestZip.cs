using System.IO.Compression;

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

    /// <summary>The article's layout: <c>dataset 50:50/{Positive|Negative}/...</c> with small valid PNGs.</summary>
    public static TestZip ArticleLayout(int positives, int negatives, string top = "dataset 50:50")
    {
        var zip = new TestZip();
        for (var i = 0; i < positives; i++) zip.Add($"{top}/Positive/smile{i}.png", TestImages.Png(24, 20, seed: i));
        for (var i = 0; i < negatives; i++) zip.Add($"{top}/Negative/frown{i}.png", TestImages.Png(24, 20, seed: 100 + i));
        return zip;
    }
}
