using System.IO.Compression;
using System.Security.Cryptography;

namespace EmotionApi.WebPage;

/// <summary>
/// The page's files (WebPage/assets/, embedded in the assembly: no build step, no CDN, present wherever the service
/// runs), read once with their media type, an entity tag, and a gzip copy for clients that accept it.
/// </summary>
public sealed class WebAssets
{
    internal const string ResourcePrefix = "EmotionApi.WebPage/";

    private static readonly Dictionary<string, string> MediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, WebAsset> assets;

    public WebAssets()
    {
        var assembly = typeof(WebAssets).Assembly;
        assets = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToDictionary(name => name[ResourcePrefix.Length..], name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return Create(buffer.ToArray(), MediaTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"));
            }, StringComparer.Ordinal);
    }

    /// <summary>Paths relative to assets/, '/'-separated: index.html, app.css, js/app.js...</summary>
    public IReadOnlyCollection<string> Paths => assets.Keys;

    public WebAsset? Find(string path) => assets.GetValueOrDefault(path);

    private static WebAsset Create(byte[] content, string mediaType)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        var tag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12))}\"";
        return new WebAsset(content, compressed.ToArray(), mediaType, tag);
    }
}
