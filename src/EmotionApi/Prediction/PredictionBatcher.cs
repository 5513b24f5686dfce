using System.Diagnostics;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Telemetry;
using Microsoft.Extensions.Options;

namespace EmotionApi.Prediction;

/// <summary>
/// Dynamic batching: the images of concurrent requests for the same model go through the network together, up to
/// <see cref="BatchingOptions.MaxBatchImages"/> per forward pass, on one thread of its own (a forward pass already
/// uses every core; two at once would only take turns). Requests decode their images on their own threads first,
/// in parallel, and announce themselves while they do (<see cref="Expect"/>), so a batch waits for them, at most
/// <see cref="BatchingOptions.MaxWait"/> after its oldest request, and a lone request never waits.
/// Batches take images in arrival order, splitting a large request over several, so no request is overtaken by later
/// ones; a cancelled request leaves the queue, and a forward pass that fails is run again request by request, so a
/// request that breaks it fails alone.
/// </summary>
public sealed class PredictionBatcher : IDisposable
{
    private readonly BatchingOptions options;
    private readonly Func<TrainedModel, IReadOnlyList<PreparedImage>, float[]> forward;
    private readonly PredictionTelemetry telemetry;
    private readonly ILogger logger;
    // Guards everything below; Monitor rather than Lock, for Wait and PulseAll.
    private readonly object gate = new();
    private readonly LinkedList<Request> queue = [];
    private readonly Dictionary<TrainedModel, int> decoding = new(ReferenceEqualityComparer.Instance);
    private Thread? worker;
    private bool stopping;

    public PredictionBatcher(IOptions<BatchingOptions> options, PredictionTelemetry telemetry, ILogger<PredictionBatcher> logger)
        : this(options.Value, (model, images) => model.PredictPositive(images), telemetry, logger)
    {
    }

    /// <summary>A batcher whose forward pass is <c>forward</c>: probabilities of the images, in order (tests stand in for the network here).</summary>
    internal PredictionBatcher(
        BatchingOptions options, Func<TrainedModel, IReadOnlyList<PreparedImage>, float[]> forward, PredictionTelemetry telemetry, ILogger logger)
    {
        this.options = options;
        this.forward = forward;
        this.telemetry = telemetry;
        this.logger = logger;
    }

    /// <summary>
    /// Announces a request for <paramref name="model"/> that is preparing its images: batches of that model may wait
    /// for it. Submit the images through the ticket, or dispose it to withdraw.
    /// </summary>
    public BatchTicket Expect(TrainedModel model)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stopping, this);
            decoding[model] = decoding.GetValueOrDefault(model) + 1;
        }
        return new BatchTicket(this, model);
    }

    internal async Task<float[]> SubmitAsync(TrainedModel model, IReadOnlyList<PreparedImage> images, CancellationToken cancellationToken)
    {
        if (images.Count == 0)
        {
            Withdraw(model);
            return [];
        }

        var request = new Request(model, images, Activity.Current?.Context ?? default);
        lock (gate)
        {
            EndExpectation(model);
            ObjectDisposedException.ThrowIf(stopping, this);
            request.Node = queue.AddLast(request);
            worker ??= StartWorker();
            Monitor.PulseAll(gate);
        }
        await using (cancellationToken.UnsafeRegister(_ => Cancel(request, cancellationToken), null))
        {
            return await request.Completion.Task.ConfigureAwait(false);
        }
    }

    /// <summary>A ticket disposed without submitting: its request will not come.</summary>
    internal void Withdraw(TrainedModel model)
    {
        lock (gate)
        {
            EndExpectation(model);
            Monitor.PulseAll(gate);
        }
    }

    public void Dispose()
    {
        Thread? running;
        List<Request> abandoned;
        lock (gate)
        {
            if (stopping) return;
            stopping = true;
            running = worker;
            abandoned = [.. queue];
            queue.Clear();
            Monitor.PulseAll(gate);
        }
        foreach (var request in abandoned) request.Completion.TrySetException(new ObjectDisposedException(nameof(PredictionBatcher), "The service is stopping."));
        running?.Join();
    }

    private void EndExpectation(TrainedModel model)
    {
        var count = decoding.GetValueOrDefault(model) - 1;
        if (count > 0) decoding[model] = count;
        else decoding.Remove(model);
    }

    private Thread StartWorker()
    {
        var thread = new Thread(Work) { IsBackground = true, Name = "Prediction batches" };
        thread.Start();
        return thread;
    }

    private void Cancel(Request request, CancellationToken token)
    {
        lock (gate)
        {
            // Images not yet in a forward pass never reach one. Images in the pass running now finish there first:
            // the caller's lease keeps the model alive until its task completes, so the task waits for that pass.
            if (request.Node?.List is not null) queue.Remove(request.Node);
            request.CancelledBy = token;
            if (request.InBatch) return;
        }
        request.Completion.TrySetCanceled(token);
    }

    private void Work()
    {
        // Always: a thread that has not used torch yet starts with the count set last by any thread (a training run's
        // TrainingJobs:Threads, say), not the process-wide one.
        TorchPerformance.ConfigureCurrentThread(options.Threads);
        while (NextBatch() is { } batch)
        {
            Run(batch);
        }
    }

    /// <summary>The next batch to run (waiting for one as long as it must); null when stopping.</summary>
    private Batch? NextBatch()
    {
        lock (gate)
        {
            while (true)
            {
                while (!stopping && queue.First is null) Monitor.Wait(gate);
                if (stopping) return null;

                var oldest = queue.First!.Value;
                var model = oldest.Model;
                // Requests for this model still decoding will come soon: wait for them while the batch has room,
                // until the oldest request has waited its longest.
                while (!stopping && oldest.Node?.List is not null && decoding.ContainsKey(model) && QueuedImages(model) < options.MaxBatchImages)
                {
                    var left = options.MaxWait - Stopwatch.GetElapsedTime(oldest.SubmittedAt);
                    if (left <= TimeSpan.Zero) break;
                    Monitor.Wait(gate, left);
                }
                if (stopping) return null;
                if (Take(model) is { } batch) return batch;
                // The oldest request was cancelled meanwhile: start over with the next one.
            }
        }
    }

    private int QueuedImages(TrainedModel model)
    {
        var images = 0;
        foreach (var request in queue)
        {
            if (ReferenceEquals(request.Model, model)) images += request.Images.Count - request.Taken;
        }
        return images;
    }

    /// <summary>Up to the batch's capacity of <paramref name="model"/>'s queued images, oldest request first; null when there are none.</summary>
    private Batch? Take(TrainedModel model)
    {
        var slices = new List<Slice>();
        var room = options.MaxBatchImages;
        for (var node = queue.First; node is not null && room > 0;)
        {
            var next = node.Next;
            var request = node.Value;
            if (ReferenceEquals(request.Model, model))
            {
                var count = Math.Min(room, request.Images.Count - request.Taken);
                slices.Add(new Slice(request, request.Taken, count));
                request.Taken += count;
                request.InBatch = true;
                room -= count;
                if (request.Taken == request.Images.Count) queue.Remove(node);
            }
            node = next;
        }
        return slices.Count == 0 ? null : new Batch(model, slices);
    }

    private void Run(Batch batch)
    {
        var images = new List<PreparedImage>(batch.Slices.Sum(slice => slice.Count));
        foreach (var slice in batch.Slices)
        {
            for (var i = 0; i < slice.Count; i++) images.Add(slice.Request.Images[slice.Start + i]);
            if (slice.Start == 0) telemetry.RecordQueued(Stopwatch.GetElapsedTime(slice.Request.SubmittedAt));
        }

        try
        {
            Forward(batch, images);
        }
        finally
        {
            lock (gate)
            {
                // A cancellation that came during the pass wins over the results it brought.
                foreach (var request in batch.Slices.Select(slice => slice.Request))
                {
                    request.InBatch = false;
                    if (request.CancelledBy is { } token) request.Completion.TrySetCanceled(token);
                    else if (request.Delivered == request.Images.Count) request.Completion.TrySetResult(request.Probabilities);
                }
            }
        }
    }

    private void Forward(Batch batch, List<PreparedImage> images)
    {
        using var span = PredictionTelemetry.StartBatch(images.Count, batch.Slices.Select(slice => slice.Request.Origin));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var probabilities = forward(batch.Model, images);
            telemetry.RecordBatch(images.Count, Stopwatch.GetElapsedTime(started));
            var offset = 0;
            foreach (var slice in batch.Slices)
            {
                Deliver(slice, probabilities.AsSpan(offset, slice.Count));
                offset += slice.Count;
            }
        }
        catch (Exception e) when (batch.Slices.Count > 1)
        {
            // One request's images may be what broke the pass: each request alone, so only that one fails.
            logger.LogWarning(e, "A forward pass of {Images} images from {Requests} requests failed; running them request by request", images.Count, batch.Slices.Count);
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            foreach (var slice in batch.Slices) RunAlone(batch.Model, slice);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            Fail(batch.Slices[0].Request, e);
        }
    }

    private void RunAlone(TrainedModel model, Slice slice)
    {
        if (slice.Request.Completion.Task.IsCompleted) return;
        try
        {
            var images = new PreparedImage[slice.Count];
            for (var i = 0; i < slice.Count; i++) images[i] = slice.Request.Images[slice.Start + i];
            Deliver(slice, forward(model, images));
        }
        catch (Exception e)
        {
            Fail(slice.Request, e);
        }
    }

    private static void Deliver(Slice slice, ReadOnlySpan<float> probabilities)
    {
        var request = slice.Request;
        if (probabilities.Length != slice.Count)
            throw new InvalidOperationException($"The forward pass gave {probabilities.Length} probabilities for {slice.Count} images.");
        probabilities.CopyTo(request.Probabilities.AsSpan(slice.Start));
        // Only this thread counts deliveries; the request completes after the pass that brings its last image.
        request.Delivered += slice.Count;
    }

    private void Fail(Request request, Exception error)
    {
        lock (gate)
        {
            if (request.Node?.List is not null) queue.Remove(request.Node);
        }
        request.Completion.TrySetException(error);
    }

    /// <summary>One request's images in the queue, and how far batches have taken them.</summary>
    private sealed class Request(TrainedModel model, IReadOnlyList<PreparedImage> images, ActivityContext origin)
    {
        public TrainedModel Model { get; } = model;
        public IReadOnlyList<PreparedImage> Images { get; } = images;
        public ActivityContext Origin { get; } = origin;
        public long SubmittedAt { get; } = Stopwatch.GetTimestamp();
        public float[] Probabilities { get; } = new float[images.Count];
        public TaskCompletionSource<float[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Request>? Node { get; set; }
        /// <summary>Images handed to batches so far (under the batcher's lock).</summary>
        public int Taken { get; set; }
        /// <summary>Images whose probabilities are in (on the batch thread only).</summary>
        public int Delivered { get; set; }
        /// <summary>Some of its images are in the forward pass running now (under the batcher's lock).</summary>
        public bool InBatch { get; set; }
        /// <summary>Set when the request was cancelled (under the batcher's lock).</summary>
        public CancellationToken? CancelledBy { get; set; }
    }

    /// <summary>A run of one request's images inside a batch.</summary>
    private sealed record Slice(Request Request, int Start, int Count);

    private sealed record Batch(TrainedModel Model, IReadOnlyList<Slice> Slices);
}
