using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionApi.Models;
using EmotionApi.Tests.Training;
using EmotionApi.Training;

namespace EmotionApi.Tests.ScaleOut;

/// <summary>
/// A worker killed in the middle of a run (a crash, `kill -9`, a machine gone): PostgreSQL hands the job to
/// another worker once the dead one stops renewing it, the advisory lock is free because the dead worker's
/// session ended with it, and the new worker resumes after the last epoch in the checkpoint.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public partial class DurabilityTests(ITestOutputHelper log)
{
    private const int Epochs = 6;

    // Short, so the killed worker's job moves on quickly; the live worker renews it every fifth of this.
    private const double InvisibilityTimeoutSeconds = 10;

    [Fact]
    public async Task A_worker_killed_mid_run_loses_nothing_another_worker_resumes_from_the_checkpoint_and_one_model_results()
    {
        var clock = Stopwatch.StartNew();
        await using var deployment = new ScaleOutDeployment(InvisibilityTimeoutSeconds);
        var starting = new[] { deployment.StartNodeAsync("api", "Api"), deployment.StartNodeAsync("worker-a", "Worker") };
        var nodes = await Task.WhenAll(starting);
        var (api, workerA) = (nodes[0], nodes[1]);

        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(api.Client, count: 200, side: 32);
        var queued = await TrainingTestKit.QueueJobAsync(api.Client, new { datasetId, preset = "tiny", epochs = Epochs });

        var beforeKill = await TrainingTestKit.WaitForJobAsync(api.Client, queued.Id,
            job => job.LatestEpoch is not null || job.State is not (TrainingJobState.Queued or TrainingJobState.Running), TimeSpan.FromMinutes(3));
        workerA.Kill();
        var killedAt = clock.Elapsed;
        Assert.True(beforeKill.State == TrainingJobState.Running, $"Expected a running job to kill, got {beforeKill.State}\n{deployment.Describe()}");
        var epochsBeforeKill = beforeKill.LatestEpoch!.Epoch;
        Assert.InRange(epochsBeforeKill, 1, Epochs - 1);
        Assert.Contains($"Job {queued.Id} started (run 1)", workerA.Output);

        var workerB = await deployment.StartNodeAsync("worker-b", "Worker");
        var finished = await TrainingTestKit.WaitUntilFinishedAsync(api.Client, queued.Id, TimeSpan.FromMinutes(4));
        var finishedAt = clock.Elapsed;
        Assert.True(finished.State == TrainingJobState.Succeeded, $"Job ended {finished.State}: {finished.Error}\n{deployment.Describe()}");

        // Worker B ran it a second time, from the checkpoint: at least the epochs recorded before the kill were not trained again.
        Assert.Equal(2, finished.Runs);
        Assert.Contains($"Job {queued.Id} started (run 2)", workerB.Output);
        var resumed = ResumedAfterEpoch().Match(workerB.Output);
        Assert.True(resumed.Success, $"Worker B did not resume from a checkpoint\n{workerB.Describe()}");
        var resumedAfter = int.Parse(resumed.Groups[1].Value);
        Assert.InRange(resumedAfter, epochsBeforeKill, Epochs - 1);

        // The history holds every epoch once, in order.
        using var history = JsonDocument.Parse(await api.Client.GetStringAsync($"/api/training-jobs/{queued.Id}/history"));
        var epochs = history.RootElement.GetProperty("epochs").EnumerateArray().Select(epoch => epoch.GetProperty("epoch").GetInt32());
        Assert.Equal(Enumerable.Range(1, Epochs), epochs);

        // Exactly one model, the job's, with a full evaluation like an uninterrupted run's.
        var models = (await api.Client.GetFromJsonAsync<ModelSummary[]>("/api/models", TrainingTestKit.Json))!;
        var model = Assert.Single(models);
        Assert.Equal(queued.Id, model.JobId);
        Assert.Equal(finished.ModelId, model.Id);
        Assert.InRange(model.TestRocAuc, 0, 1);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync($"/api/models/{model.Id}/evaluation")).StatusCode);

        log.WriteLine($"Durability: killed worker A after epoch {epochsBeforeKill} at {killedAt.TotalSeconds:F1} s; worker B resumed after epoch " +
                      $"{resumedAfter}; succeeded at {finishedAt.TotalSeconds:F1} s ({(finishedAt - killedAt).TotalSeconds:F1} s after the kill, " +
                      $"invisibility timeout {InvisibilityTimeoutSeconds} s); whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task A_worker_stopped_mid_run_hands_its_job_back_at_once_and_another_worker_resumes_it()
    {
        var clock = Stopwatch.StartNew();
        // Far longer than the test may take: the job must move because the stopping worker handed it back.
        await using var deployment = new ScaleOutDeployment(invisibilityTimeoutSeconds: 3_600);
        var starting = new[] { deployment.StartNodeAsync("api", "Api"), deployment.StartNodeAsync("worker-a", "Worker") };
        var nodes = await Task.WhenAll(starting);
        var (api, workerA) = (nodes[0], nodes[1]);
        var workerB = await deployment.StartNodeAsync("worker-b", "Worker");

        var datasetId = await TrainingTestKit.CreateSampleDatasetAsync(api.Client, count: 200, side: 32);
        var queued = await TrainingTestKit.QueueJobAsync(api.Client, new { datasetId, preset = "tiny", epochs = Epochs });
        var beforeStop = await TrainingTestKit.WaitForJobAsync(api.Client, queued.Id,
            job => job.LatestEpoch is not null || job.State is not (TrainingJobState.Queued or TrainingJobState.Running), TimeSpan.FromMinutes(3));
        Assert.True(beforeStop.State == TrainingJobState.Running, $"Expected a running job to stop, got {beforeStop.State}\n{deployment.Describe()}");
        var (first, second) = workerA.Output.Contains($"Job {queued.Id} started (run 1)") ? (workerA, workerB) : (workerB, workerA);

        await first.StopAsync(TimeSpan.FromMinutes(1));
        var stoppedAt = clock.Elapsed;
        Assert.Contains($"Job {queued.Id} interrupted by shutdown", first.Output);

        var finished = await TrainingTestKit.WaitUntilFinishedAsync(api.Client, queued.Id, TimeSpan.FromMinutes(4));
        Assert.True(finished.State == TrainingJobState.Succeeded, $"Job ended {finished.State}: {finished.Error}\n{deployment.Describe()}");
        Assert.Equal(2, finished.Runs);
        Assert.Contains($"Job {queued.Id} started (run 2)", second.Output);
        Assert.Matches(ResumedAfterEpoch(), second.Output);
        var model = Assert.Single((await api.Client.GetFromJsonAsync<ModelSummary[]>("/api/models", TrainingTestKit.Json))!);
        Assert.Equal(queued.Id, model.JobId);

        log.WriteLine($"Graceful stop: {first.Name} stopped after epoch {beforeStop.LatestEpoch!.Epoch} at {stoppedAt.TotalSeconds:F1} s; " +
                      $"{second.Name} finished the job {(clock.Elapsed - stoppedAt).TotalSeconds:F1} s later; whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    [GeneratedRegex(@"resumed from its checkpoint after epoch (\d+)")]
    private static partial Regex ResumedAfterEpoch();
}
