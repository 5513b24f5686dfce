namespace EmotionApi.Learning.Images;

/// <summary>Some images of a source, by their indices there: a part of a split (training, validation, test) without copying bytes.</summary>
internal sealed class PreparedImageSubset : IPreparedImageSource
{
    private readonly IPreparedImageSource source;
    private readonly int[] indices;

    public PreparedImageSubset(IPreparedImageSource source, IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.source = source;
        this.indices = indices.ToArray();
        foreach (var index in this.indices)
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)source.Count, nameof(indices));
    }

    public ImageSize Size => source.Size;

    public int Count => indices.Length;

    public void Read(int index, Span<byte> destination) => source.Read(indices[index], destination);
}
