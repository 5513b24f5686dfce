using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace EmotionApi.Learning.Images;

/// <summary>
/// The one place that turns untrusted encoded bytes into pixels: header check first, capped
/// decoder memory, transparency flattened onto white. Dataset ingest, training and prediction all
/// go through it, so an image is prepared the same way everywhere. Thread-safe.
/// </summary>
/// <remarks>
/// Decoding uses a configuration that knows only the five supported formats, so the decoders of
/// the others (TIFF, TGA, PBM: the subject of several ImageSharp 2.1 advisories) never see
/// untrusted bytes. Its parallelism is 1: callers decode many images at once (Parallel.For), and
/// nested parallel loops inside each resize only add scheduling overhead on two cores.
/// </remarks>
public static class ImageCodec
{
    /// <summary>
    /// Exactly what <see cref="Prepare"/> does, plus the scaling the networks apply to its bytes.
    /// Model manifests record it; a model is only fed images prepared by the same description.
    /// The article's Keras resized with load_img's default nearest-neighbour interpolation; a triangle
    /// filter averages every source pixel instead of dropping most of them when shrinking a photo.
    /// The text stays word for word what earlier versions wrote into manifests ("the seed" there is the article).
    /// </summary>
    public const string PreparationDescription =
        "decode first frame (EXIF orientation ignored, as Keras' load_img); alpha composited onto white; " +
        "RGB; resize to height x width ignoring aspect ratio (as Keras' target_size) with a triangle " +
        "(bilinear) filter on premultiplied alpha; bytes scaled by 1/255 (as the seed's rescale)";

    /// <summary>
    /// Raised whenever <see cref="Prepare"/> would give other bytes for the same file (a resampler, a colour rule):
    /// caches of prepared bytes are keyed by it, with the description and ImageSharp's version, and rebuild when it changes.
    /// </summary>
    public const int PreparationVersion = 1;

    /// <summary>Everything that decides the bytes <see cref="Prepare"/> gives: version, description, decoder library.</summary>
    public static string PreparationIdentity { get; } =
        $"preparation {PreparationVersion}; ImageSharp {typeof(Image).Assembly.GetName().Version}; {PreparationDescription}";

    /// <summary>The formats accepted, by the names <see cref="ImageHeader.Format"/> uses.</summary>
    public static IReadOnlyList<string> SupportedFormats { get; } = ["JPEG", "PNG", "GIF", "BMP", "WebP"];

    private const int MaxReasonLength = 200;

    // Every format ImageSharp 2.1 knows, used only to name what was sent (magic bytes) and read headers.
    private static readonly Configuration RecognisingConfiguration = WithoutPngMetadata(Configuration.Default.Clone());

    private static readonly ConcurrentDictionary<int, Configuration> DecodingConfigurations = new();

    /// <summary>
    /// Reads the header only (no pixel data is decoded). Null when the bytes are not an image
    /// format ImageSharp 2.1 knows or the header cannot be read. The header of a format the
    /// service refuses (TIFF, TGA...) is returned too; see <see cref="ImageHeader.IsSupportedFormat"/>.
    /// </summary>
    public static ImageHeader? Identify(ReadOnlySpan<byte> encoded) =>
        DetectFormatName(encoded) is { } format ? ReadHeader(encoded, format, out _) : null;

    /// <summary>
    /// Checks the header against <paramref name="limits"/> and decodes fully (proving the file is good).
    /// Throws <see cref="ImageRejectedException"/> with a client-readable reason otherwise.
    /// </summary>
    public static ImageHeader Validate(ReadOnlySpan<byte> encoded, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var header = CheckHeader(encoded, limits);
        using var image = Decode(encoded, header, limits);
        return header;
    }

    /// <summary>
    /// Decode (limits applied as in <see cref="Validate"/>), flatten transparency onto white, resize
    /// to <paramref name="size"/> ignoring the aspect ratio. See <see cref="PreparationDescription"/>.
    /// </summary>
    public static PreparedImage Prepare(ReadOnlySpan<byte> encoded, ImageSize size, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (size.Height <= 0 || size.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "Both dimensions must be positive.");
        var header = CheckHeader(encoded, limits);
        var pixels = new byte[size.Height * size.Width * 3];
        using var image = Decode(encoded, header, limits);
        try
        {
            if (image.Width != size.Width || image.Height != size.Height)
            {
                // Stretch = Keras' target_size (no crop, no padding). Premultiplied (ImageSharp's
                // default) so colour hidden under transparent pixels does not bleed into the result.
                image.Mutate(context => context.Resize(new ResizeOptions
                {
                    Size = new Size(size.Width, size.Height),
                    Mode = ResizeMode.Stretch,
                    Sampler = KnownResamplers.Triangle,
                    PremultiplyAlpha = true,
                }));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Rejected(e, header.Format, limits);
        }

        switch (image)
        {
            case Image<Rgb24> opaque:
                opaque.CopyPixelDataTo(pixels);
                break;
            case Image<Rgba32> translucent:
                FlattenOntoWhite(translucent, pixels);
                break;
            default:
                throw new InvalidOperationException($"Unexpected pixel type {image.PixelType}.");
        }
        return new PreparedImage(size, pixels);
    }

    /// <summary>
    /// Composites each pixel onto white: c' = c * a + 255 * (1 - a). Converting RGBA to RGB
    /// directly would keep whatever colour lies under transparent pixels (often not white).
    /// Resizing premultiplied then compositing equals compositing then resizing (both linear).
    /// </summary>
    private static void FlattenOntoWhite(Image<Rgba32> image, byte[] destination)
    {
        image.ProcessPixelRows(accessor =>
        {
            var output = destination.AsSpan();
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var target = output.Slice(y * row.Length * 3, row.Length * 3);
                for (var x = 0; x < row.Length; x++)
                {
                    var pixel = row[x];
                    int alpha = pixel.A, white = 255 * (255 - alpha) + 127;
                    target[3 * x] = (byte)((pixel.R * alpha + white) / 255);
                    target[3 * x + 1] = (byte)((pixel.G * alpha + white) / 255);
                    target[3 * x + 2] = (byte)((pixel.B * alpha + white) / 255);
                }
            }
        });
    }

    private static ImageHeader CheckHeader(ReadOnlySpan<byte> encoded, ImageLimits limits)
    {
        var format = DetectFormatName(encoded) ?? throw new ImageRejectedException("not an image");
        // Refused formats are named without parsing more of them than their magic bytes.
        if (!SupportedFormats.Contains(format))
            throw new ImageRejectedException($"unsupported format '{format}' (accepted: {string.Join(", ", SupportedFormats)})");
        var header = ReadHeader(encoded, format, out var failure) ?? throw new ImageRejectedException(failure!);
        if (header.Width <= 0 || header.Height <= 0)
            throw new ImageRejectedException($"corrupt {header.Format}: the header gives {header.Width}x{header.Height} pixels");
        // Decompression bombs: a few KB can claim 100000x100000 pixels; refuse before decoding.
        if (header.Width > limits.MaxWidth || header.Height > limits.MaxHeight)
            throw new ImageRejectedException(
                $"{header.Width}x{header.Height} exceeds the {limits.MaxWidth}x{limits.MaxHeight} limit");
        if (header.PixelCount > limits.MaxPixels)
            throw new ImageRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"{header.Width}x{header.Height} is {header.PixelCount:N0} pixels, over the limit of {limits.MaxPixels:N0}"));
        if (EncodedImageStructure.FindDefect(encoded, header.Format) is { } defect)
            throw new ImageRejectedException($"corrupt or truncated {header.Format}: {defect}");
        return header;
    }

    /// <summary>The format named by the magic bytes (see <see cref="ImageHeader.Format"/>), or null.</summary>
    private static string? DetectFormatName(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) return null;
        try
        {
            return Image.DetectFormat(RecognisingConfiguration, encoded) is { } format ? FormatName(format) : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static ImageHeader? ReadHeader(ReadOnlySpan<byte> encoded, string format, out string? failure)
    {
        // ImageSharp 2.1 identifies from a stream only; copying the bytes is cheap next to a decode.
        var copy = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            encoded.CopyTo(copy);
            using var stream = new MemoryStream(copy, 0, encoded.Length, writable: false);
            var info = Image.Identify(RecognisingConfiguration, stream, out _);
            failure = info is null ? $"corrupt or truncated {format}: unreadable header" : null;
            return info is null ? null : new ImageHeader(format, info.Width, info.Height);
        }
        catch (OutOfMemoryException)
        {
            // Reading a header takes a few bytes: a lying field sized an array (ImageSharp 2.1's BMP decoder sizes the
            // palette from the pixel-data offset; 2^31 - 1 made it ask for 2 GB; found by the fuzzing run).
            failure = $"corrupt {format}: its header asks for an impossible amount of memory";
            return null;
        }
        catch (Exception e)
        {
            failure = $"corrupt or truncated {format}: {Shorten(e.Message)}";
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static Image Decode(ReadOnlySpan<byte> encoded, ImageHeader header, ImageLimits limits)
    {
        var configuration = DecodingConfiguration(limits.DecoderMemoryMegabytes);
        try
        {
            // JPEG has no alpha: decoding straight to RGB saves the compositing pass.
            return header.Format == "JPEG"
                ? Image.Load<Rgb24>(configuration, encoded)
                : Image.Load<Rgba32>(configuration, encoded);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Rejected(e, header.Format, limits);
        }
    }

    private static ImageRejectedException Rejected(Exception e, string format, ImageLimits limits) => e switch
    {
        UnknownImageFormatException => new ImageRejectedException("not an image"),
        // ImageSharp wraps the allocator's refusal in InvalidImageContentException.
        _ when e is InvalidMemoryOperationException || e.InnerException is InvalidMemoryOperationException => new ImageRejectedException(
            $"decoding this {format} needs more than the {limits.DecoderMemoryMegabytes} MB allowed per buffer"),
        NotSupportedException => new ImageRejectedException($"unsupported {format} variant: {Shorten(e.Message)}"),
        // InvalidImageContentException, ImageFormatException, and whatever else a decoder throws on
        // malformed input (index, overflow, end of stream): the file is not usable either way.
        _ => new ImageRejectedException($"corrupt or truncated {format}: {Shorten(e.Message)}"),
    };

    private static Configuration DecodingConfiguration(int memoryLimitMegabytes) =>
        DecodingConfigurations.GetOrAdd(memoryLimitMegabytes, static limit =>
        {
            if (limit <= 0)
                throw new ArgumentOutOfRangeException(nameof(ImageLimits.DecoderMemoryMegabytes), limit, "Must be positive.");
            var configuration = new Configuration(
                new JpegConfigurationModule(),
                new PngConfigurationModule(),
                new GifConfigurationModule(),
                new BmpConfigurationModule(),
                new WebpConfigurationModule())
            {
                MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = limit }),
                MaxDegreeOfParallelism = 1,
            };
            // Only the first frame is used: do not spend memory and time on the rest of an animation.
            configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
            return WithoutPngMetadata(configuration);
        });

    /// <summary>
    /// PNG text and profile chunks skipped unread: zTXt, iTXt and iCCP are zlib streams, and a 64 KB file can hold a
    /// text inflating to 64 MB, which ImageSharp 2.1 spends seconds decoding into a string (found by the fuzzing run,
    /// docs/fuzzing.md). No pixel depends on them: ImageSharp 2.1 applies no colour profile.
    /// </summary>
    private static Configuration WithoutPngMetadata(Configuration configuration)
    {
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        return configuration;
    }

    private static string FormatName(IImageFormat format) => format switch
    {
        JpegFormat => "JPEG",
        PngFormat => "PNG",
        GifFormat => "GIF",
        BmpFormat => "BMP",
        WebpFormat => "WebP",
        _ => format.Name,
    };

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxReasonLength ? line : line[..(MaxReasonLength - 3)] + "...";
    }
}
