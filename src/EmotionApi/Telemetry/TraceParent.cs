using System.Diagnostics;

namespace EmotionApi.Telemetry;

/// <summary>
/// A span's W3C trace context as text (the <c>traceparent</c> and <c>tracestate</c> headers' values), so that work
/// carried in a record (a training job run later, perhaps by another node) can link back to the request that asked
/// for it.
/// </summary>
/// <param name="Parent">The <c>traceparent</c> value: version, trace id, span id, flags.</param>
/// <param name="State">The <c>tracestate</c> value, when the span had one.</param>
public sealed record TraceParent(string Parent, string? State)
{
    /// <summary>The current span's context; null when no span is being recorded (no listener, or not sampled in).</summary>
    public static TraceParent? OfCurrent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } current ? new TraceParent(id, current.TraceStateString) : null;

    /// <summary>The context this text describes; false when it is not a valid W3C context.</summary>
    public bool TryGetContext(out ActivityContext context) =>
        ActivityContext.TryParse(Parent, State, isRemote: true, out context);
}
