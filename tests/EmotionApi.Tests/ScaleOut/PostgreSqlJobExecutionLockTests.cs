using System.Diagnostics;
using EmotionApi.BackgroundJobs;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EmotionApi.Tests.ScaleOut;

/// <summary>
/// The execution right across nodes. Two lock instances stand for two nodes: each has its own sessions, as two
/// processes would.
/// </summary>
public class PostgreSqlJobExecutionLockTests
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void Lock_keys_are_stable_so_nodes_of_different_builds_agree()
    {
        // SHA-256 of "emotionapi/training-job/0123456789ab", first 8 bytes big-endian.
        Assert.Equal(0x21a90191f24f71beL, PostgreSqlJobExecutionLock.LockKey("0123456789ab"));
        Assert.NotEqual(PostgreSqlJobExecutionLock.LockKey("0123456789ab"), PostgreSqlJobExecutionLock.LockKey("0123456789ac"));
    }

    [Fact]
    public void A_job_held_by_one_node_is_refused_to_another_until_released_and_other_jobs_are_free()
    {
        TestPostgres.Require();
        var nodeA = NewLock();
        var nodeB = NewLock();
        var jobId = NewJobId();

        var held = nodeA.TryAcquire(jobId);
        Assert.NotNull(held);
        Assert.Null(nodeB.TryAcquire(jobId));
        Assert.Null(nodeA.TryAcquire(jobId)); // a second delivery on the same node
        using (var other = nodeB.TryAcquire(NewJobId())) Assert.NotNull(other);

        held.Dispose();
        using var taken = nodeB.TryAcquire(jobId);
        Assert.NotNull(taken);
        Assert.False(taken.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task When_the_holder_s_session_ends_another_node_gets_the_job_and_the_old_holder_learns_it_lost_it()
    {
        TestPostgres.Require();
        var nodeA = NewLock();
        var jobId = NewJobId();
        using var held = nodeA.TryAcquire(jobId)!;

        // Another node queues for the lock, so it is granted the moment node A's session ends (before A can take it again).
        await using var nodeB = new NpgsqlConnection(TestPostgres.ConnectionString);
        await nodeB.OpenAsync();
        await using var waitForLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", nodeB);
        waitForLock.Parameters.AddWithValue("key", PostgreSqlJobExecutionLock.LockKey(jobId));
        var nodeBWaiting = waitForLock.ExecuteNonQueryAsync();
        await WaitUntilAsync(async () => await WaitersAsync(jobId) == 1, TimeSpan.FromSeconds(10), "node B never queued for the lock");
        Assert.False(nodeBWaiting.IsCompleted);

        // What a crash or a network cut does to the session: the server ends it, and the lock goes with it.
        await TerminateHolderSessionAsync(jobId);
        await nodeBWaiting.WaitAsync(TimeSpan.FromSeconds(10));

        await WaitUntilAsync(() => held.Lost.IsCancellationRequested, TimeSpan.FromSeconds(20), "node A never noticed that node B took the job");
        Assert.Null(NewLock().TryAcquire(jobId));
    }

    [Fact]
    public async Task When_the_holder_s_session_ends_and_nobody_else_took_the_job_the_holder_takes_it_again()
    {
        TestPostgres.Require();
        var nodeA = NewLock();
        var nodeB = NewLock();
        var jobId = NewJobId();
        using var held = nodeA.TryAcquire(jobId)!;
        var firstSession = await HolderSessionAsync(jobId);

        await TerminateHolderSessionAsync(jobId);
        await WaitUntilAsync(async () => await HolderSessionAsync(jobId) is { } session && session != firstSession,
            TimeSpan.FromSeconds(20), "node A did not take the lock again on a new session");

        Assert.False(held.Lost.IsCancellationRequested);
        Assert.Null(nodeB.TryAcquire(jobId));
    }

    private static PostgreSqlJobExecutionLock NewLock() =>
        new(TestPostgres.ConnectionString, CheckInterval, NullLogger<PostgreSqlJobExecutionLock>.Instance);

    private static string NewJobId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>The backend pid holding the job's advisory lock (pg_locks splits a bigint key into classid and objid).</summary>
    private static async Task<int?> HolderSessionAsync(string jobId)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 " +
            "AND ((classid::bigint << 32) | objid::bigint) = @key", connection);
        command.Parameters.AddWithValue("key", PostgreSqlJobExecutionLock.LockKey(jobId));
        return await command.ExecuteScalarAsync() as int?;
    }

    /// <summary>Sessions waiting for the job's advisory lock.</summary>
    private static async Task<long> WaitersAsync(string jobId)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 " +
            "AND ((classid::bigint << 32) | objid::bigint) = @key", connection);
        command.Parameters.AddWithValue("key", PostgreSqlJobExecutionLock.LockKey(jobId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task TerminateHolderSessionAsync(string jobId)
    {
        var pid = await HolderSessionAsync(jobId) ?? throw new InvalidOperationException($"Nobody holds job {jobId}.");
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid, 5000)", connection);
        command.Parameters.AddWithValue("pid", pid);
        Assert.True(await command.ExecuteScalarAsync() is true, $"Session {pid} was not terminated");
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, failure);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"{failure} within {timeout}");
            await Task.Delay(50);
        }
    }
}
