using Npgsql;

namespace EmotionApi.Tests.ScaleOut;

/// <summary>
/// The PostgreSQL server of the scale-out tests: <see cref="EnvironmentVariable"/>, else the server that
/// `bash .ci/postgres.sh` starts on loopback. Without one, the tests are skipped and say why; under CI
/// (CI=true) they fail instead, so a broken CI database never passes as green.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "EMOTIONAPI_TEST_POSTGRES";
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=emotionapi;Password=emotionapi;Database=emotionapi_tests";

    private static readonly Lazy<string?> Unreachable = new(Probe);

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultConnectionString;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns when the server answers; otherwise skips the calling [Fact], or fails it under CI.</summary>
    public static void Require()
    {
        if (Unreachable.Value is not { } reason) return;
        var message = $"PostgreSQL not reachable at {Describe(ConnectionString)} ({reason}); run `bash .ci/postgres.sh` to start one, " +
                      $"or set {EnvironmentVariable} to a connection string.";
        if (IsCi) Assert.Fail($"CI=true: the PostgreSQL tests must run, but {message}");
        Assert.Skip(message);
    }

    /// <summary>A schema name no other test uses (Hangfire:SchemaName accepts lower-case letters, digits, underscores).</summary>
    public static string NewSchemaName() => $"test_{Guid.NewGuid():N}"[..21];

    public static async Task DropSchemaAsync(string schemaName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schemaName}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<bool> SchemaExistsAsync(string schemaName)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @name)", connection);
        command.Parameters.AddWithValue("name", schemaName);
        return await command.ExecuteScalarAsync() is true;
    }

    private static string? Probe()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5 };
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Where the server is, without the password.</summary>
    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host}:{builder.Port}, database {builder.Database}, user {builder.Username}";
        }
        catch (ArgumentException)
        {
            return $"an unparsable connection string in {EnvironmentVariable}";
        }
    }
}
