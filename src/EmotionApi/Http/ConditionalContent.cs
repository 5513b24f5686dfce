using Microsoft.Net.Http.Headers;

namespace EmotionApi.Http;

/// <summary>
/// Answers with content that has an entity tag: 304 Not Modified when the request's If-None-Match names it (the content is
/// then never produced), else the content with its ETag and Cache-Control.
/// </summary>
public static class ConditionalContent
{
    /// <summary>Keep it, but ask every time (a cheap 304 when unchanged): results that may change or vanish. Private: API keys may guard them.</summary>
    public const string Revalidate = "private, no-cache";

    /// <summary>Never changes under this URL: keep it for a year without asking.</summary>
    public const string Immutable = "private, max-age=31536000, immutable";

    public static IResult Send(HttpContext context, string entityTag, string cacheControl, Func<(byte[] Content, string ContentType)> produce)
    {
        var headers = context.Response.GetTypedHeaders();
        headers.ETag = EntityTagHeaderValue.Parse(entityTag);
        context.Response.Headers.CacheControl = cacheControl;
        if (Matches(context.Request, entityTag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var (content, contentType) = produce();
        return TypedResults.Bytes(content, contentType);
    }

    /// <summary>If-None-Match's weak comparison (RFC 9110 13.1.2): "*" or any listed tag with the same opaque value.</summary>
    public static bool Matches(HttpRequest request, string entityTag)
    {
        var wanted = EntityTagHeaderValue.Parse(entityTag);
        return request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
               && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(wanted, useStrongComparison: false));
    }
}
