using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// The execution right of a job across every node that shares the PostgreSQL job storage: a session-level
/// advisory lock (<c>pg_try_advisory_lock</c>) on a connection of its own, held open for the whole run.
/// It is released by <c>pg_advisory_unlock</c> when the run ends, and by the server when the session ends,
/// so a killed worker's jobs are free again as soon as its connection drops.
/// </summary>
/// <remarks>
/// A watchdog checks the session every <c>checkInterval</c>. If the session was lost (a database restart,
/// a network cut) it takes the lock again on a new connection; if another node holds it by then, that node
/// has taken the job over and this execution's <see cref="IJobExecution.Lost"/> fires.
/// </remarks>
public sealed class PostgreSqlJobExecutionLock : IJobExecutionLock
{
    // Within one process a second delivery is refused without a database round trip.
    private readonly InProcessJobExecutionLock local = new();
    private readonly string connectionString;
    private readonly TimeSpan checkInterval;
    private readonly ILogger<PostgreSqlJobExecutionLock> logger;

    public PostgreSqlJobExecutionLock(string connectionString, TimeSpan checkInterval, ILogger<PostgreSqlJobExecutionLock> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(checkInterval, TimeSpan.Zero);
        this.connectionString = LockConnectionString(connectionString);
        this.checkInterval = checkInterval;
        this.logger = logger;
    }

    public IJobExecution? TryAcquire(string jobId)
    {
        var localRight = local.TryAcquire(jobId);
        if (localRight is null) return null;
        try
        {
            var key = LockKey(jobId);
            var connection = OpenConnection();
            if (!TryLock(connection, key))
            {
                connection.Dispose();
                localRight.Dispose();
                return null;
            }
            return new Execution(this, jobId, key, connection, localRight);
        }
        catch
        {
            localRight.Dispose();
            throw;
        }
    }

    /// <summary>The advisory lock key of a job's execution right.</summary>
    public static long LockKey(string jobId) => AdvisoryLockKey($"training-job/{jobId}");

    /// <summary>
    /// A 64-bit advisory lock key for a name: the first 8 bytes of SHA-256 over "emotionapi/" and the name.
    /// Stable across processes and versions (string.GetHashCode is randomised per process).
    /// </summary>
    public static long AdvisoryLockKey(string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"emotionapi/{name}")));

    /// <summary>
    /// The connection settings of a lock session: unpooled (closing it ends the session, and the lock with it),
    /// named in pg_stat_activity, and with server-side TCP keepalives so the server also ends the session of a
    /// worker whose machine vanished (the default waits for the kernel's two-hour keepalive).
    /// </summary>
    internal static string LockConnectionString(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = "emotionapi training job lock",
            Enlist = false,
        };
        const string keepalives = "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? keepalives : $"{builder.Options} {keepalives}";
        return builder.ConnectionString;
    }

    private NpgsqlConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool TryLock(NpgsqlConnection connection, long key)
    {
        using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        return command.ExecuteScalar() is true;
    }

    private static bool IsDatabaseFailure(Exception e) => e is DbException or InvalidOperationException or TimeoutException or IOException;

    private sealed class Execution : IJobExecution
    {
        private readonly PostgreSqlJobExecutionLock owner;
        private readonly string jobId;
        private readonly long key;
        private readonly IJobExecution localRight;
        private readonly CancellationTokenSource lost = new();
        private readonly Lock gate = new();
        private readonly Timer watchdog;
        private NpgsqlConnection? connection;
        private bool disposed;

        public Execution(PostgreSqlJobExecutionLock owner, string jobId, long key, NpgsqlConnection connection, IJobExecution localRight)
        {
            this.owner = owner;
            this.jobId = jobId;
            this.key = key;
            this.connection = connection;
            this.localRight = localRight;
            watchdog = new Timer(_ => Check(), null, owner.checkInterval, owner.checkInterval);
        }

        public CancellationToken Lost => lost.Token;

        /// <summary>Keeps the session alive and notices when it is gone; takes the lock again when nobody else has it.</summary>
        private void Check()
        {
            // A check still running (a slow network) makes the next tick skip rather than queue up.
            if (!gate.TryEnter()) return;
            try
            {
                if (disposed || lost.IsCancellationRequested) return;
                if (connection is not null && IsAlive(connection)) return;

                connection?.Dispose();
                connection = null;
                NpgsqlConnection fresh;
                try
                {
                    fresh = owner.OpenConnection();
                }
                catch (Exception e) when (IsDatabaseFailure(e))
                {
                    // While the database is unreachable no other node can take the lock either: keep running, try again.
                    owner.logger.LogWarning(e, "Job {JobId}: the lock session is gone and the database is unreachable; trying again in {Interval}",
                        jobId, owner.checkInterval);
                    return;
                }

                if (TryLock(fresh, key))
                {
                    connection = fresh;
                    owner.logger.LogWarning("Job {JobId}: the lock session was lost and has been taken again", jobId);
                    return;
                }
                fresh.Dispose();
                owner.logger.LogError("Job {JobId}: the lock session was lost and another node holds the job now; this execution stops", jobId);
                lost.Cancel();
            }
            catch (Exception e) when (IsDatabaseFailure(e))
            {
                owner.logger.LogWarning(e, "Job {JobId}: could not check the lock session; trying again in {Interval}", jobId, owner.checkInterval);
            }
            finally
            {
                gate.Exit();
            }
        }

        private bool IsAlive(NpgsqlConnection session)
        {
            try
            {
                using var command = new NpgsqlCommand("SELECT 1", session);
                command.ExecuteScalar();
                return true;
            }
            catch (Exception e) when (IsDatabaseFailure(e))
            {
                owner.logger.LogWarning(e, "Job {JobId}: the lock session failed", jobId);
                return false;
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (disposed) return;
                disposed = true;
            }
            watchdog.Dispose();
            lock (gate)
            {
                if (connection is not null)
                {
                    try
                    {
                        using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                        command.Parameters.AddWithValue("key", key);
                        command.ExecuteScalar();
                    }
                    catch (Exception e) when (IsDatabaseFailure(e))
                    {
                        // Closing the unpooled connection below ends the session, which releases the lock all the same.
                        owner.logger.LogDebug(e, "Job {JobId}: pg_advisory_unlock failed; the lock goes with the session", jobId);
                    }
                    connection.Dispose();
                    connection = null;
                }
            }
            lost.Dispose();
            localRight.Dispose();
        }
    }
}
