using System.Diagnostics.Metrics;
using EmotionApi.Learning.Training;
using EmotionApi.Telemetry;
using EmotionApi.Training;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionApi.Tests.Training;

public class EpochTelemetryObserverTests
{
    [Fact]
    public void A_resumed_run_records_the_epochs_it_trains_not_the_ones_it_replays_from_its_checkpoint()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var telemetry = new TrainingTelemetry(meters, [], []);
        var recorded = new List<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => recorded.Add((instrument.Name, value)));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => recorded.Add((instrument.Name, value)));
        listener.Start();
        var inner = new CountingObserver();
        var settings = TrainingPresets.Get(TrainingPresets.Tiny);
        var observer = new EpochTelemetryObserver(inner, telemetry, run: null, settings);

        // The checkpoint held two epochs: the pipeline reports them before the first batch of epoch 3.
        observer.OnEpoch(new EpochMetrics(1, 0.7, 0.5, 0.7, 0.5, 0.001, 4.0));
        observer.OnEpoch(new EpochMetrics(2, 0.6, 0.6, 0.6, 0.6, 0.001, 4.0));
        observer.OnBatch(new BatchProgress(3, 15, 1, 2, 0.5, Images: 16));
        observer.OnBatch(new BatchProgress(3, 15, 2, 2, 0.5, Images: 8));
        observer.OnEpoch(new EpochMetrics(3, 0.5, 0.7, 0.5, 0.7, 0.001, 2.0));

        Assert.Equal([2.0], recorded.Where(m => m.Instrument == "emotionapi.training.epoch.duration").Select(m => m.Value));
        Assert.Equal([12.0], recorded.Where(m => m.Instrument == "emotionapi.training.epoch.throughput").Select(m => m.Value));
        Assert.Equal([24.0], recorded.Where(m => m.Instrument == "emotionapi.training.images").Select(m => m.Value));
        Assert.Equal((3, 2), (inner.Epochs, inner.Batches));
    }

    private sealed class CountingObserver : ITrainingObserver
    {
        public int Epochs { get; private set; }
        public int Batches { get; private set; }
        public void OnBatch(BatchProgress progress) => Batches++;
        public void OnEpoch(EpochMetrics metrics) => Epochs++;
    }
}
