using EmotionApi.Http;
using EmotionApi.RunResults.Plots;

namespace EmotionApi.RunResults;

/// <summary>The plot endpoints' shared half: answering a plot URL (jobs and models map their own routes and find the data).</summary>
public static class RunPlotsApi
{
    /// <summary>The route of a run's plots under a job's or a model's URL: <c>plots/history.png</c>, <c>plots/roc.svg</c>...</summary>
    public const string Route = "/{id}/plots/{plot}.{format}";

    /// <summary>The plot, or 304 when the client has it already (its ETag is a hash of what it is drawn from).</summary>
    public static IResult Respond(HttpContext context, PlotRequest request, RunPlotData data) =>
        ConditionalContent.Send(context, RunPlots.EntityTag(request, data), ConditionalContent.Revalidate, () =>
        {
            var plot = RunPlots.Render(request, data);
            return (plot.Content, plot.ContentType);
        });

    /// <summary>What the OpenAPI document says of a plot route, for jobs and models alike.</summary>
    public static RouteHandlerBuilder DescribedAsPlot(this RouteHandlerBuilder route, string owner, string unavailable) => route
        .WithDescription(
            $"The {owner}'s plots as PNG or SVG: plot 'history' (loss and accuracy per epoch, training and validation, the kept epoch " +
            "marked), 'roc' (the ROC curve, the chance diagonal, the AUC in the legend and the operating point at the model's " +
            "threshold) or 'confusion' (the confusion matrix as a heatmap of counts and shares of each true class); format 'png' " +
            $"or 'svg'. Optional width and height in pixels ({PlotRequest.MinSide}-{PlotRequest.MaxSide}; a narrow history plot " +
            "puts its panels one above the other). The ETag is a hash of what the plot is drawn from: send it in If-None-Match " +
            $"for a 304. {unavailable} 404 for an unknown plot or format.")
        .Produces(StatusCodes.Status200OK, typeof(Stream), "image/png", "image/svg+xml")
        .Produces(StatusCodes.Status304NotModified)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict);
}
