using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EmotionApi.Learning.Images;
using EmotionApi.Learning.Models;
using EmotionApi.Learning.Networks;
using EmotionApi.Learning.Training;
using EmotionApi.Prediction;
using EmotionApi.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmotionApi.Tests.Prediction;

/// <summary>
/// The batcher with a scripted forward pass in place of the network: each image carries its id in its first byte and
/// the "probability" the pass returns is that id, so every answer says which image it belongs to. Passes that must
/// wait block on a gate the test opens; nothing depends on timing.
/// </summary>
public sealed class PredictionBatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TrainedModel model = NewModel();
    private readonly TrainedModel otherModel = NewModel();
    private readonly ScriptedForward forward = new();

    public void Dispose()
    {
        forward.OpenAll();
        model.Dispose();
        otherModel.Dispose();
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_probabilities_in_order()
    {
        using var batcher = NewBatcher(maxBatchImages: 8);
        var requests = Enumerable.Range(0, 40).Select(i => Ids(i * 6, 1 + i % 5)).ToList();

        var answers = await Task.WhenAll(requests.Select(ids => Task.Run(async () =>
        {
            using var ticket = batcher.Expect(model);
            return await ticket.PredictAsync(Images(ids), CancellationToken.None);
        })));

        for (var i = 0; i < requests.Count; i++) Assert.Equal(requests[i].Select(id => (float)id), answers[i]);
        Assert.All(forward.Calls, call => Assert.InRange(call.Length, 1, 8));
        Assert.Equal(requests.Sum(ids => ids.Length), forward.Calls.Sum(call => call.Length));
        Assert.Equal(forward.Calls.SelectMany(call => call).Order(), requests.SelectMany(ids => ids).Order());
    }

    [Fact]
    public async Task Requests_that_arrive_during_a_forward_pass_share_the_next_one_in_arrival_order()
    {
        using var batcher = NewBatcher(maxBatchImages: 32);
        forward.HoldCall(1);
        var first = Submit(batcher, model, Ids(1, 1));
        await forward.WaitForCall(1);

        var waiting = new[] { Submit(batcher, model, Ids(10, 2)), Submit(batcher, model, Ids(20, 1)), Submit(batcher, model, Ids(30, 3)) };
        forward.Open(1);
        await Task.WhenAll(waiting.Append(first)).WaitAsync(Patience);

        Assert.Equal(2, forward.Calls.Count);
        Assert.Equal([10, 11, 20, 30, 31, 32], forward.Calls[1]);
        Assert.Equal(new[] { 20f }, await waiting[1]);
    }

    [Fact]
    public async Task A_large_request_is_split_across_batches_and_not_overtaken_by_later_single_images()
    {
        using var batcher = NewBatcher(maxBatchImages: 4);
        var blocker = await HoldFirstPassAsync(batcher);

        var large = Submit(batcher, model, Ids(100, 10));
        var singles = Enumerable.Range(0, 5).Select(i => Submit(batcher, model, Ids(200 + i, 1))).ToList();
        forward.Open(1);
        await Task.WhenAll(singles.Append(large).Append(blocker)).WaitAsync(Patience);

        Assert.Equal(Ids(100, 10).Select(id => (float)id), await large);
        Assert.Equal(
        [
            [1], [100, 101, 102, 103], [104, 105, 106, 107], [108, 109, 200, 201], [202, 203, 204],
        ], forward.Calls);
    }

    [Fact]
    public async Task A_cancelled_request_leaves_the_queue_and_the_others_are_answered()
    {
        using var batcher = NewBatcher(maxBatchImages: 32);
        var blocker = await HoldFirstPassAsync(batcher);

        using var cancellation = new CancellationTokenSource();
        var before = Submit(batcher, model, Ids(10, 1));
        var cancelled = Submit(batcher, model, Ids(20, 2), cancellation.Token);
        var after = Submit(batcher, model, Ids(30, 1));
        await cancellation.CancelAsync();
        forward.Open(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.Equal(new[] { 10f }, await before.WaitAsync(Patience));
        Assert.Equal(new[] { 30f }, await after.WaitAsync(Patience));
        await blocker;
        Assert.DoesNotContain(forward.Calls.SelectMany(call => call), id => id is 20 or 21);
        Assert.Equal([10, 30], forward.Calls[1]);
    }

    [Fact]
    public async Task A_request_cancelled_while_its_images_are_in_a_forward_pass_ends_when_the_pass_ends()
    {
        using var batcher = NewBatcher(maxBatchImages: 32);
        forward.HoldCall(1);
        using var cancellation = new CancellationTokenSource();
        var inFlight = Submit(batcher, model, Ids(1, 2), cancellation.Token);
        var neighbour = Submit(batcher, model, Ids(5, 1));
        await forward.WaitForCall(1);

        await cancellation.CancelAsync();
        // The caller's model lease must outlive the pass that uses the model: the task is still running.
        Assert.False(inFlight.IsCompleted);
        forward.Open(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inFlight.WaitAsync(Patience));
        Assert.Equal(new[] { 5f }, await neighbour.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_request_that_breaks_a_shared_forward_pass_fails_alone()
    {
        using var batcher = NewBatcher(maxBatchImages: 32);
        forward.HoldCall(1);
        forward.Poison = 66;
        var blocker = Submit(batcher, model, Ids(1, 1));
        await forward.WaitForCall(1);

        var good = Submit(batcher, model, Ids(10, 2));
        var bad = Submit(batcher, model, [65, 66]);
        var alsoGood = Submit(batcher, model, Ids(30, 1));
        forward.Open(1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad.WaitAsync(Patience));
        Assert.Contains("66", error.Message);
        Assert.Equal(new[] { 10f, 11f }, await good.WaitAsync(Patience));
        Assert.Equal(new[] { 30f }, await alsoGood.WaitAsync(Patience));
        await blocker;
        // The shared pass failed; then each request ran alone.
        Assert.Equal([[1], [10, 11, 65, 66, 30], [10, 11], [65, 66], [30]], forward.Calls);
    }

    [Fact]
    public async Task A_batch_waits_for_requests_still_decoding_but_a_lone_request_does_not_wait()
    {
        // A wait of ten minutes would time the test out if the batch waited its longest.
        using var batcher = NewBatcher(maxBatchImages: 32, maxWaitMilliseconds: 600_000);

        Assert.Equal(new[] { 1f }, await Submit(batcher, model, Ids(1, 1)).WaitAsync(Patience));

        using var slow = batcher.Expect(model);
        var quick = Submit(batcher, model, Ids(10, 1));
        // The quick request's batch waits for the one still decoding, which joins it.
        var late = slow.PredictAsync(Images(Ids(20, 2)), CancellationToken.None);
        await Task.WhenAll(quick, late).WaitAsync(Patience);
        Assert.Equal([10, 20, 21], forward.Calls[^1]);

        using var withdrawn = batcher.Expect(model);
        var alone = Submit(batcher, model, Ids(30, 1));
        withdrawn.Dispose();
        Assert.Equal(new[] { 30f }, await alone.WaitAsync(Patience));
    }

    [Fact]
    public async Task Batches_hold_one_model_each()
    {
        using var batcher = NewBatcher(maxBatchImages: 32);
        var blocker = await HoldFirstPassAsync(batcher);

        var a = Submit(batcher, model, Ids(10, 1));
        var b = Submit(batcher, otherModel, Ids(20, 1));
        var c = Submit(batcher, model, Ids(30, 1));
        forward.Open(1);
        await Task.WhenAll(a, b, c, blocker).WaitAsync(Patience);

        Assert.Equal([[1], [10, 30], [20]], forward.Calls);
        Assert.Equal([model, model, otherModel], forward.Models);
    }

    /// <summary>A request (image 1) whose forward pass, the first, holds until <c>forward.Open(1)</c>: others queue behind it meanwhile.</summary>
    private async Task<Task<float[]>> HoldFirstPassAsync(PredictionBatcher batcher)
    {
        forward.HoldCall(1);
        var blocker = Submit(batcher, model, Ids(1, 1));
        await forward.WaitForCall(1);
        return blocker;
    }

    private PredictionBatcher NewBatcher(int maxBatchImages, double maxWaitMilliseconds = 2)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new PredictionBatcher(
            new BatchingOptions { MaxBatchImages = maxBatchImages, MaxWaitMilliseconds = maxWaitMilliseconds },
            forward.Run, new PredictionTelemetry(meters), NullLogger.Instance);
    }

    /// <summary>Announces and submits at once (a request whose images are ready), from the calling thread.</summary>
    private static Task<float[]> Submit(PredictionBatcher batcher, TrainedModel model, int[] ids, CancellationToken cancellationToken = default)
    {
        var ticket = batcher.Expect(model);
        return ticket.PredictAsync(Images(ids), cancellationToken);
    }

    private static int[] Ids(int first, int count) => Enumerable.Range(first, count).ToArray();

    private static List<PreparedImage> Images(IEnumerable<int> ids) =>
        ids.Select(id => new PreparedImage(new ImageSize(1, 1), [(byte)id, 0, 0])).ToList();

    private static TrainedModel NewModel()
    {
        var size = new ImageSize(32, 32);
        var settings = TrainingPresets.Get(TrainingPresets.Tiny);
        var manifest = new ModelManifest
        {
            Network = settings.Network, ImageHeight = size.Height, ImageWidth = size.Width, Preparation = ImageCodec.PreparationDescription,
            ClassNames = ModelManifest.BinaryClassNames, Threshold = 0.5, Settings = settings, LibraryVersions = new Dictionary<string, string>(),
        };
        return new TrainedModel(manifest, NetworkCatalog.Create(settings.Network, size));
    }

    /// <summary>The forward pass: records each call's image ids and model, can hold a call until opened, fails on a poisoned id.</summary>
    private sealed class ScriptedForward
    {
        private readonly ConcurrentDictionary<int, SemaphoreSlim> holds = new();
        private readonly ConcurrentDictionary<int, TaskCompletionSource> reached = new();
        private readonly List<int[]> calls = [];
        private readonly List<TrainedModel> models = [];

        public int? Poison { get; set; }

        public IReadOnlyList<int[]> Calls
        {
            get { lock (calls) return calls.ToList(); }
        }

        public IReadOnlyList<TrainedModel> Models
        {
            get { lock (calls) return models.ToList(); }
        }

        public void HoldCall(int number) => holds[number] = new SemaphoreSlim(0);

        public void Open(int number) => holds[number].Release();

        public void OpenAll()
        {
            foreach (var hold in holds.Values) hold.Release(100);
        }

        public Task WaitForCall(int number) => Reached(number).Task.WaitAsync(Patience);

        public float[] Run(TrainedModel model, IReadOnlyList<PreparedImage> images)
        {
            var ids = images.Select(image => (int)image.Pixels[0]).ToArray();
            int number;
            lock (calls)
            {
                calls.Add(ids);
                models.Add(model);
                number = calls.Count;
            }
            Reached(number).TrySetResult();
            if (holds.TryGetValue(number, out var hold) && !hold.Wait(Patience)) throw new TimeoutException($"Call {number} was never opened.");
            if (Poison is { } poison && ids.Contains(poison)) throw new InvalidOperationException($"Image {poison} breaks the forward pass.");
            return ids.Select(id => (float)id).ToArray();
        }

        private TaskCompletionSource Reached(int number) =>
            reached.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
