using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CredentialBot.Store.Services;

/// <summary>
/// One SQLite statement prepared once on the connection's own handle and run per row with values bound by position.
/// Microsoft.Data.Sqlite looks up every parameter by name and wraps every run in a data reader: about 5 µs a row, more
/// than SQLite's own insert; a first scan runs this some 600,000 times. It shares the connection, so it runs inside
/// whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private readonly sqlite3 _connection;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    /// <param name="connection">An open connection.</param>
    /// <param name="sql">The statement, with <c>@name</c> parameters.</param>
    /// <param name="names">The parameter names, in the order <see cref="Execute"/> gets their values.</param>
    public SqliteRowStatement(SqliteConnection connection, string sql, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(names);
        _connection = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_connection, sql, out _statement));
        _positions = [.. names.Select(n => raw.sqlite3_bind_parameter_index(_statement, "@" + n))];
        if (_positions.Any(p => p == 0))
        {
            _statement.Dispose();
            throw new ArgumentException($"A parameter of [{string.Join(", ", names)}] is not in: {sql}", nameof(names));
        }
    }

    /// <summary>Runs the statement with <paramref name="values"/> (string, long, int, bool or null); returns the rows it changed.</summary>
    public int Execute(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < _positions.Length; i++)
        {
            Check(values[i] switch
            {
                null => raw.sqlite3_bind_null(_statement, _positions[i]),
                string text => raw.sqlite3_bind_text(_statement, _positions[i], text),
                long number => raw.sqlite3_bind_int64(_statement, _positions[i], number),
                int number => raw.sqlite3_bind_int(_statement, _positions[i], number),
                bool flag => raw.sqlite3_bind_int(_statement, _positions[i], flag ? 1 : 0),
                var other => throw new ArgumentException($"Cannot bind a {other.GetType().Name}.", nameof(values)),
            });
        }

        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE)
        {
            Check(step);
        }

        return raw.sqlite3_changes(_connection);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(_connection).utf8_to_string(), result, raw.sqlite3_extended_errcode(_connection));
        }
    }
}
