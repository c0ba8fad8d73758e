using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// One parameterised statement prepared once and executed per row, on the context's connection and transaction.
/// Used where a scan writes tens of thousands of rows: EF Core's change tracker costs far more than the SQL.
/// The SQL must be portable between SQLite and PostgreSQL (both take <c>@name</c> parameters and
/// <c>INSERT … ON CONFLICT</c>).
/// </summary>
internal sealed class BulkCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private bool _prepared;

    private BulkCommand(DbCommand command, DbParameter[] parameters)
    {
        _command = command;
        _parameters = parameters;
    }

    public static BulkCommand Create(DbContext db, string sql, params string[] parameterNames)
    {
        var command = db.CreateCommand(sql);
        var parameters = parameterNames.Select(name => command.AddParameter("@" + name, null)).ToArray();
        return new BulkCommand(command, parameters);
    }

    /// <summary>Runs the statement with these values, in the order the parameters were named; null becomes NULL.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        if (!_prepared)
        {
            // Prepared after the first values are bound, so PostgreSQL learns the parameter types.
            await _command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }

        return await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}

/// <summary>
/// Multi-row INSERTs: rows are buffered and written <see cref="RowsPerStatement"/> at a time in one statement
/// (prepared once for full chunks). Measured on SQLite, this wins where most rows are skipped by ON CONFLICT (the
/// outbox, re-planned every scan: delta rescan 21 s → 9 s at 100k apps) and loses for plain inserts into indexed
/// tables (the snapshot stays on one prepared statement per row). Larger chunks were slower still: parameter
/// binding grows with the statement. <see cref="FlushAsync"/> writes the remainder.
/// </summary>
internal sealed class BulkInsert : IAsyncDisposable
{
    public const int RowsPerStatement = 20;

    private readonly DbContext _db;
    private readonly string _prefix;
    private readonly string _suffix;
    private readonly int _columns;
    private readonly List<object?> _pending = [];
    private BulkCommand? _full;
    private int _rowsWritten;

    public BulkInsert(DbContext db, string table, IReadOnlyList<string> columns, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(columns);
        _db = db;
        _prefix = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ";
        _suffix = suffix;
        _columns = columns.Count;
    }

    /// <summary>Rows affected so far (an ON CONFLICT DO NOTHING row that was skipped does not count).</summary>
    public int RowsWritten => _rowsWritten;

    public async Task AddAsync(CancellationToken cancellationToken, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _pending.AddRange(values);
        if (_pending.Count == _columns * RowsPerStatement)
        {
            _full ??= Create(RowsPerStatement);
            _rowsWritten += await _full.ExecuteAsync(cancellationToken, [.. _pending]).ConfigureAwait(false);
            _pending.Clear();
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        await using var tail = Create(_pending.Count / _columns);
        _rowsWritten += await tail.ExecuteAsync(cancellationToken, [.. _pending]).ConfigureAwait(false);
        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync().ConfigureAwait(false);
        }
    }

    private BulkCommand Create(int rows)
    {
        var names = new List<string>(rows * _columns);
        var tuples = new List<string>(rows);
        for (var r = 0; r < rows; r++)
        {
            var row = Enumerable.Range(0, _columns).Select(c => $"p{r}_{c}").ToList();
            names.AddRange(row);
            tuples.Add("(" + string.Join(", ", row.Select(n => "@" + n)) + ")");
        }

        return BulkCommand.Create(_db, _prefix + string.Join(", ", tuples) + " " + _suffix, [.. names]);
    }
}
