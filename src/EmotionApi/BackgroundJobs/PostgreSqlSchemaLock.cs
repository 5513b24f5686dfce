using Npgsql;

namespace EmotionApi.BackgroundJobs;

/// <summary>
/// Serialises the creation of Hangfire's schema across nodes. Nodes of a deployment start together, and
/// Hangfire.PostgreSql's installer run by two processes at once fails ("could not find tuple for constraint",
/// seen here with PostgreSQL 15): the first node to take this session-level advisory lock installs, the others
/// wait and then find the schema in place.
/// </summary>
internal sealed class PostgreSqlSchemaLock : IDisposable
{
    private readonly NpgsqlConnection connection;

    private PostgreSqlSchemaLock(NpgsqlConnection connection) => this.connection = connection;

    /// <summary>
    /// Waits for the lock of <paramref name="schemaName"/>. The database may still be starting (a deployment
    /// that starts everything at once): connecting is retried with a growing delay for up to <paramref name="patience"/>.
    /// </summary>
    public static PostgreSqlSchemaLock Acquire(string connectionString, string schemaName, TimeSpan patience, ILogger logger)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Enlist = false,
            ApplicationName = "emotionapi schema install",
        }.ConnectionString;
        var deadline = DateTime.UtcNow + patience;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            var connection = new NpgsqlConnection(settings);
            try
            {
                connection.Open();
                using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = (int)patience.TotalSeconds };
                command.Parameters.AddWithValue("key", PostgreSqlJobExecutionLock.AdvisoryLockKey($"hangfire-schema/{schemaName}"));
                command.ExecuteNonQuery();
                return new PostgreSqlSchemaLock(connection);
            }
            // Only what may pass (refused connections, a server still starting); a wrong password stops the start at once.
            catch (Exception e) when (e is NpgsqlException { IsTransient: true } or TimeoutException && DateTime.UtcNow + delay < deadline)
            {
                connection.Dispose();
                logger.LogWarning("PostgreSQL is not reachable yet ({Message}); trying again in {Delay}", e.Message, delay);
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>Closing the unpooled session releases the lock.</summary>
    public void Dispose() => connection.Dispose();
}
