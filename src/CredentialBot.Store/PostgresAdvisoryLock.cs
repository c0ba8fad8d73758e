using Npgsql;

namespace CredentialBot.Store;

/// <summary>
/// A session-level PostgreSQL advisory lock held on a connection of its own. The connection is not pooled: a pooled
/// connection returned to the pool keeps its session (and the lock) until it is reused, while a closed physical
/// connection ends the session, so the lock is released when this is disposed, or when the process dies.
/// </summary>
internal sealed class PostgresAdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private PostgresAdvisoryLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Waits for the lock; <paramref name="waiting"/> runs once if someone else holds it first.</summary>
    public static async Task<PostgresAdvisoryLock> AcquireAsync(string connectionString, long key, Action waiting, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var tryLock = Command(connection, "SELECT pg_try_advisory_lock(@key)", key))
            {
                if (await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    return new PostgresAdvisoryLock(connection);
                }
            }

            waiting();
            // Blocks until the holder releases it (or its connection dies); cancelling the token cancels the wait.
            await using (var waitLock = Command(connection, "SELECT pg_advisory_lock(@key)", key))
            {
                await waitLock.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new PostgresAdvisoryLock(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closing the session releases the lock; nothing else is held on this connection.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, long key)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        return command;
    }
}
