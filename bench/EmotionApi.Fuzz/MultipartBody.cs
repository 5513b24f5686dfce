using System.Text;

namespace EmotionApi.Fuzz;

/// <summary>
/// A multipart/form-data body written byte by byte, so that a case can send any shape: odd field and file names,
/// raw header lines, a missing closing boundary.
/// </summary>
internal sealed class MultipartBody(string boundary)
{
    private readonly MemoryStream body = new();

    public string Boundary { get; } = boundary;

    /// <summary>The header for this body: the boundary quoted when it holds characters a token may not (RFC 2045).</summary>
    public string ContentType => Boundary.All(c => char.IsAsciiLetterOrDigit(c) || "-_.!#$%&*+^`{|}~".Contains(c))
        ? $"multipart/form-data; boundary={Boundary}"
        : $"multipart/form-data; boundary=\"{Boundary}\"";

    public MultipartBody File(string field, string fileName, string contentType, byte[] content) =>
        Part($"Content-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: {contentType}", content);

    public MultipartBody Field(string name, string value) =>
        Part($"Content-Disposition: form-data; name=\"{name}\"", Encoding.UTF8.GetBytes(value));

    /// <summary>A part with the header lines given as they are (without the blank line that ends them).</summary>
    public MultipartBody Part(string headers, byte[] content)
    {
        Write($"--{Boundary}\r\n{headers}\r\n\r\n");
        body.Write(content);
        Write("\r\n");
        return this;
    }

    /// <summary>Bytes written where they fall, outside any part's structure.</summary>
    public MultipartBody Raw(byte[] bytes)
    {
        body.Write(bytes);
        return this;
    }

    public byte[] Build(bool close = true)
    {
        if (close) Write($"--{Boundary}--\r\n");
        return body.ToArray();
    }

    private void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
}
