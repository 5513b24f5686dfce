using EmotionApi.Http;

namespace EmotionApi.WebPage;

/// <summary>
/// The web page at <c>/</c> (its files under <c>/app/</c>): datasets, training, results, models and prediction in a
/// browser, through the same API as any client. Served by API nodes; the Swagger UI stays at <c>/swagger</c>.
/// </summary>
public static class WebPageSetup
{
    // Everything from this origin only; images also from blob: (plots and thumbnails are fetched with the API key) and
    // data: (the icon). No inline script or style, no framing.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddWebPage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WebAssets>();
        return builder;
    }

    public static IEndpointRouteBuilder MapWebPage(this IEndpointRouteBuilder app)
    {
        // The page and its files are open to all: the API calls it makes ask for the key (api.js).
        app.MapGet("/", (HttpContext context, WebAssets assets) => Serve(context, assets, "index.html")).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/app/{**path}", (string path, HttpContext context, WebAssets assets) => Serve(context, assets, path))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static IResult Serve(HttpContext context, WebAssets assets, string path)
    {
        if (assets.Find(path) is not { } asset) return TypedResults.NotFound();
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.Vary = "Accept-Encoding";
        var gzip = context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        return ConditionalContent.Send(context, asset.EntityTag, ConditionalContent.Revalidate, () =>
        {
            if (!gzip) return (asset.Content, asset.MediaType);
            response.Headers.ContentEncoding = "gzip";
            return (asset.Gzipped, asset.MediaType);
        });
    }
}
