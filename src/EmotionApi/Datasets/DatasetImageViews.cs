using EmotionApi.Learning.Data;

namespace EmotionApi.Datasets;

/// <summary>A page of a dataset's images, in the dataset's order.</summary>
/// <param name="Total">Images that match (of the class asked for, or all).</param>
/// <param name="Offset">Index within the matching images of the first one on this page.</param>
/// <param name="Images">At most the page's limit of images.</param>
public sealed record DatasetImagePage(int Total, int Offset, IReadOnlyList<DatasetImageView> Images);

/// <summary>One accepted image of a dataset.</summary>
/// <param name="Index">Its place in the dataset (stable: a dataset never changes), used in its URLs.</param>
/// <param name="OriginalName">The entry's name in the uploaded archive (or the generator's file name).</param>
/// <param name="Class">Its class.</param>
/// <param name="Format">png, jpeg, gif, bmp or webp.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Bytes">Size of the stored file.</param>
/// <param name="Url">The image as stored.</param>
/// <param name="ThumbnailUrl">A small JPEG of it (longest side 96 pixels unless the URL asks for another size).</param>
public sealed record DatasetImageView(
    int Index, string OriginalName, EmotionClass Class, string Format, int Width, int Height, long Bytes, string Url, string ThumbnailUrl);
