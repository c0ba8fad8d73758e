using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CredentialBot.Store.Services;

/// <summary>How a column's values travel: text, a 64-bit integer (times are UTC ticks) or a boolean.</summary>
internal enum ColumnType
{
    Text,
    Int64,
    Boolean,
}

/// <summary>A table and the columns a statement writes; the first column is the key the statement matches rows on.</summary>
internal sealed record RowShape(string Table, IReadOnlyList<(string Name, ColumnType Type)> Columns)
{
    public string Key => Columns[0].Name;

    public IEnumerable<string> Names => Columns.Select(c => c.Name);

    public static string Quote(string name) => $"\"{name}\"";
}

/// <summary>
/// Writes a set of rows with one statement shape, on the context's connection and current transaction. SQLite runs in
/// this process, so a prepared statement executed once per row costs microseconds; PostgreSQL is a round trip away, so
/// there a whole set is one statement over arrays (<c>unnest</c>). The statements are otherwise the same, so the
/// snapshot's logic (<see cref="SnapshotWriter"/>) is written once for both.
/// </summary>
internal abstract class RowSetWriter(DbContext db)
{
    protected DbContext Db { get; } = db;

    public static RowSetWriter For(DbContext db) =>
        db.Database.IsNpgsql() ? new PostgresRowSetWriter(db) : new SqliteRowSetWriter(db);

    /// <summary>
    /// Takes every row of the set, in key order, until the transaction ends: inserts those whose key is new and locks the
    /// stored ones without changing them. Returns the keys it inserted and <paramref name="storedColumns"/> (the key
    /// first) of the rows that were already stored, as they are once taken. On PostgreSQL that is one pass in key order
    /// (<c>ON CONFLICT DO UPDATE … WHERE FALSE</c> locks the row it conflicts with), so transactions taking overlapping
    /// sets wait for each other in the same order and never deadlock; SQLite has one writer at a time anyway.
    /// <paramref name="mostlyNew"/> says most keys are expected to be new; SQLite then inserts before it reads, as
    /// PostgreSQL always does, and reads only the keys it could not insert.
    /// </summary>
    public abstract Task<(HashSet<string> Inserted, List<object?[]> Stored)> TakeAsync(RowShape shape, IReadOnlyList<object?[]> rows, IReadOnlyList<string> storedColumns, bool mostlyNew, CancellationToken cancellationToken);

    /// <summary>Inserts each row; for rows whose keys nothing else can hold yet (a duplicate fails the statement).</summary>
    public abstract Task InsertAsync(RowShape shape, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Inserts each row, or updates <paramref name="update"/> columns of the row that has the same <paramref name="conflict"/> columns.</summary>
    public abstract Task UpsertAsync(RowShape shape, IReadOnlyList<string> conflict, IReadOnlyList<string> update, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Inserts each row unless one with the same <paramref name="conflict"/> columns exists; returns how many it inserted.</summary>
    public abstract Task<int> InsertNewAsync(RowShape shape, IReadOnlyList<string> conflict, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Sets every other column of the row whose key (the first column) matches.</summary>
    public abstract Task UpdateAsync(RowShape shape, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Gives the same <paramref name="values"/> to the rows whose key is one of <paramref name="keys"/>, in one statement.</summary>
    public async Task SetAllAsync(string table, string key, IReadOnlyCollection<string> keys, IReadOnlyList<(string Column, object Value)> values, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = Command($"UPDATE {RowShape.Quote(table)} SET {string.Join(", ", values.Select((v, i) => $"{RowShape.Quote(v.Column)} = @v{i}"))} WHERE {KeyIn(key)}");
        AddKeys(command, keys);
        for (var i = 0; i < values.Count; i++)
        {
            command.AddParameter($"@v{i}", values[i].Value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A condition that <paramref name="key"/> is one of the keys in the <c>@keys</c> parameter.</summary>
    protected abstract string KeyIn(string key);

    /// <summary>Adds the <c>@keys</c> parameter.</summary>
    protected abstract void AddKeys(DbCommand command, IReadOnlyCollection<string> keys);

    /// <summary>Reads <paramref name="columns"/> of the rows whose key is one of <paramref name="keys"/>.</summary>
    protected async Task<List<object?[]>> ReadRowsAsync(string table, string key, IReadOnlyList<string> columns, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        if (keys.Count == 0)
        {
            return rows;
        }

        await using var command = Command($"SELECT {Columns(columns)} FROM {RowShape.Quote(table)} WHERE {KeyIn(key)}");
        AddKeys(command, keys);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Deletes the rows whose integer key is one of <paramref name="ids"/>.</summary>
    public abstract Task DeleteAsync(string table, string key, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    protected static string Columns(IEnumerable<string> names) => string.Join(", ", names.Select(RowShape.Quote));

    /// <summary>The head every insert of <paramref name="shape"/> starts with: the table and its columns.</summary>
    protected static string InsertInto(RowShape shape) => $"INSERT INTO {RowShape.Quote(shape.Table)} ({Columns(shape.Names)})";

    protected static string TakeClause(RowShape shape) =>
        $"ON CONFLICT ({RowShape.Quote(shape.Key)}) DO UPDATE SET {RowShape.Quote(shape.Key)} = excluded.{RowShape.Quote(shape.Key)} WHERE FALSE";

    protected static string UpsertClause(IReadOnlyList<string> conflict, IReadOnlyList<string> update) =>
        $"ON CONFLICT ({Columns(conflict)}) DO UPDATE SET {string.Join(", ", update.Select(c => $"{RowShape.Quote(c)} = excluded.{RowShape.Quote(c)}"))}";

    protected DbCommand Command(string sql) => Db.CreateCommand(sql);
}

/// <summary>SQLite: one prepared statement per shape, executed per row.</summary>
internal sealed class SqliteRowSetWriter(DbContext db) : RowSetWriter(db)
{
    protected override string KeyIn(string key) => $"{RowShape.Quote(key)} IN (SELECT value FROM json_each(@keys))";

    protected override void AddKeys(DbCommand command, IReadOnlyCollection<string> keys) => command.AddParameter("@keys", JsonArray(keys));

    public override async Task<(HashSet<string> Inserted, List<object?[]> Stored)> TakeAsync(RowShape shape, IReadOnlyList<object?[]> rows, IReadOnlyList<string> storedColumns, bool mostlyNew, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        if (rows.Count == 0)
        {
            return (inserted, []);
        }

        // The transaction already holds SQLite's one write lock, so what it reads stays so whichever comes first. Most
        // keys stored (a rescan): read them all, which spares a failed insert per key. Most keys new (a first load):
        // insert first, and read only the few that were stored, which spares reading 500 keys that are not there.
        using var insert = Statement(shape, $"{InsertRow(shape)} {TakeClause(shape)}");
        if (mostlyNew)
        {
            InsertEach(rows);
            return (inserted, await ReadRowsAsync(shape.Table, shape.Key, storedColumns, [.. rows.Select(r => (string)r[0]!).Where(k => !inserted.Contains(k))], cancellationToken).ConfigureAwait(false));
        }

        var stored = await ReadRowsAsync(shape.Table, shape.Key, storedColumns, [.. rows.Select(r => (string)r[0]!)], cancellationToken).ConfigureAwait(false);
        var storedKeys = stored.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        InsertEach(rows.Where(r => !storedKeys.Contains((string)r[0]!)));
        return (inserted, stored);

        void InsertEach(IEnumerable<object?[]> candidates)
        {
            foreach (var row in candidates)
            {
                if (insert.Execute(row) == 1)
                {
                    inserted.Add((string)row[0]!);
                }
            }
        }
    }

    public override Task InsertAsync(RowShape shape, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        PerRowAsync(shape, InsertRow(shape), rows);

    public override Task UpsertAsync(RowShape shape, IReadOnlyList<string> conflict, IReadOnlyList<string> update, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        PerRowAsync(shape, $"{InsertRow(shape)} {UpsertClause(conflict, update)}", rows);

    public override Task<int> InsertNewAsync(RowShape shape, IReadOnlyList<string> conflict, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        PerRowAsync(shape, $"{InsertRow(shape)} ON CONFLICT ({Columns(conflict)}) DO NOTHING", rows);

    public override Task UpdateAsync(RowShape shape, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        PerRowAsync(shape, $"UPDATE {RowShape.Quote(shape.Table)} SET {string.Join(", ", Names(shape).Skip(1).Select(n => $"{RowShape.Quote(n)} = @{n}"))} WHERE {RowShape.Quote(shape.Key)} = @{shape.Key}", rows);

    public override Task DeleteAsync(string table, string key, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        PerRowAsync(new RowShape(table, [(key, ColumnType.Int64)]), $"DELETE FROM {RowShape.Quote(table)} WHERE {RowShape.Quote(key)} = @{key}", [.. ids.Select(id => new object?[] { id })]);

    private static IEnumerable<string> Names(RowShape shape) => shape.Names;

    private static string JsonArray(IEnumerable<string> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Parameters(RowShape shape) => string.Join(", ", shape.Names.Select(n => "@" + n));

    /// <summary>An insert of one row, its values bound by column name.</summary>
    private static string InsertRow(RowShape shape) => $"{InsertInto(shape)} VALUES ({Parameters(shape)})";

    /// <summary>Runs the statement once per row; returns the rows changed in all.</summary>
    private Task<int> PerRowAsync(RowShape shape, string sql, IReadOnlyList<object?[]> rows)
    {
        var changed = 0;
        if (rows.Count > 0)
        {
            // SQLite does the work in this thread either way; an async form would only add a Task per row.
            using var statement = Statement(shape, sql);
            foreach (var row in rows)
            {
                changed += statement.Execute(row);
            }
        }

        return Task.FromResult(changed);
    }

    private SqliteRowStatement Statement(RowShape shape, string sql) =>
        new((Microsoft.Data.Sqlite.SqliteConnection)Db.Database.GetDbConnection(), sql, [.. Names(shape)]);
}

/// <summary>PostgreSQL: one statement per set, each column sent as an array and spread into rows by <c>unnest</c>.</summary>
internal sealed class PostgresRowSetWriter(DbContext db) : RowSetWriter(db)
{
    protected override string KeyIn(string key) => $"{RowShape.Quote(key)} = ANY(@keys)";

    protected override void AddKeys(DbCommand command, IReadOnlyCollection<string> keys) =>
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", [.. keys]));

    public override async Task<(HashSet<string> Inserted, List<object?[]> Stored)> TakeAsync(RowShape shape, IReadOnlyList<object?[]> rows, IReadOnlyList<string> storedColumns, bool mostlyNew, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        if (rows.Count == 0)
        {
            return (inserted, []);
        }

        // INSERT … SELECT … ORDER BY inserts (or meets the conflicting row) in that order; RETURNING lists only inserted rows.
        await using (var command = Command($"{InsertRows(shape)} ORDER BY 1 {TakeClause(shape)} RETURNING {RowShape.Quote(shape.Key)}"))
        {
            AddArrays(command, shape, rows);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        // Read only now that the rows are locked: a row another writer committed meanwhile is read as it committed it.
        var stored = await ReadRowsAsync(shape.Table, shape.Key, storedColumns, [.. rows.Select(r => (string)r[0]!).Where(k => !inserted.Contains(k))], cancellationToken).ConfigureAwait(false);
        return (inserted, stored);
    }

    public override Task InsertAsync(RowShape shape, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        ExecuteAsync(shape, InsertRows(shape), rows, cancellationToken);

    public override Task UpsertAsync(RowShape shape, IReadOnlyList<string> conflict, IReadOnlyList<string> update, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        ExecuteAsync(shape, $"{InsertRows(shape)} {UpsertClause(conflict, update)}", rows, cancellationToken);

    /// <remarks>
    /// In the order of the conflict columns, like <see cref="TakeAsync"/>: writers inserting the same keys at once wait for
    /// each other's uncommitted rows in one order, so they never deadlock.
    /// </remarks>
    public override Task<int> InsertNewAsync(RowShape shape, IReadOnlyList<string> conflict, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        ExecuteAsync(shape, $"{InsertRows(shape)} ORDER BY {Columns(conflict)} ON CONFLICT ({Columns(conflict)}) DO NOTHING", rows, cancellationToken);

    public override Task UpdateAsync(RowShape shape, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        ExecuteAsync(
            shape,
            $"UPDATE {RowShape.Quote(shape.Table)} AS t SET {string.Join(", ", shape.Names.Skip(1).Select(n => $"{RowShape.Quote(n)} = v.{RowShape.Quote(n)}"))} FROM ({Unnest(shape)}) AS v WHERE t.{RowShape.Quote(shape.Key)} = v.{RowShape.Quote(shape.Key)}",
            rows,
            cancellationToken);

    public override async Task DeleteAsync(string table, string key, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var command = Command($"DELETE FROM {RowShape.Quote(table)} WHERE {RowShape.Quote(key)} = ANY(@ids)");
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", [.. ids]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An insert of every row of the arrays, in the order <c>unnest</c> returns them unless an ORDER BY follows.</summary>
    private static string InsertRows(RowShape shape) => $"{InsertInto(shape)} {Unnest(shape)}";

    private static string Unnest(RowShape shape) =>
        $"SELECT * FROM unnest({string.Join(", ", shape.Columns.Select((_, i) => $"@c{i}"))}) AS r({Columns(shape.Names)})";

    private static void AddArrays(DbCommand command, RowShape shape, IReadOnlyList<object?[]> rows)
    {
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            var column = i;
            command.Parameters.Add(shape.Columns[i].Type switch
            {
                ColumnType.Text => new NpgsqlParameter<string?[]>($"c{i}", [.. rows.Select(r => (string?)r[column])]),
                ColumnType.Int64 => new NpgsqlParameter<long?[]>($"c{i}", [.. rows.Select(r => (long?)r[column])]),
                _ => new NpgsqlParameter<bool[]>($"c{i}", [.. rows.Select(r => (bool)r[column]!)]),
            });
        }
    }

    /// <summary>Runs the statement over every row at once; returns the rows changed.</summary>
    private async Task<int> ExecuteAsync(RowShape shape, string sql, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var command = Command(sql);
        AddArrays(command, shape, rows);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
