using System.Data.Common;
using System.Diagnostics;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Bench;

/// <summary>
/// The store's own floor for benchmark (a): what writing a first load's rows costs the store alone. The rows a full
/// listing left in the store (Apps, credentials, owners, notices and their people) are read back once; each run then
/// writes them into an empty store through the product's own row writer (<see cref="RowSetWriter"/>: the same
/// statements, on SQLite prepared once and bound by position, on PostgreSQL one statement over arrays per set), in
/// batches of the listing's size, with the indexes set aside and built at the end as a first load does. Nothing is read
/// from the directory, compared or planned, so on the same machine no first load that commits as often can take less.
/// </summary>
internal sealed class StoreFloor
{
    private readonly List<Batch> _batches;

    private StoreFloor(List<Batch> batches) => _batches = batches;

    /// <summary>The rows written per run.</summary>
    public int Rows => _batches.Sum(b => b.Apps.Count + b.Credentials.Count + b.Owners.Count + b.People.Count + b.Messages.Count);

    /// <summary>
    /// Reads the store's rows and cuts them into the batches the listing made: Apps in the order they were inserted,
    /// <paramref name="batchSize"/> of one kind at a time, each batch sorted by object id as the snapshot writer sorts it,
    /// with its credentials, owners and notices (a notice's key begins with its App's object id), and the people those
    /// notices go to.
    /// </summary>
    public static async Task<StoreFloor> CaptureAsync(IServiceProvider services, int batchSize)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        await db.Database.OpenConnectionAsync();
        // Where the rows lie is the order they were inserted in: on SQLite the rowid; on PostgreSQL the tuple's page, which
        // a rescan's updates keep (Apps' pages are half full for them). No column will do: the bench tenant's appIds, for
        // one, sort as its object ids do, and batches in key order would write every index in order, as no listing does.
        var apps = await ReadAsync(db, SnapshotWriter.NewApp, db.Database.IsNpgsql() ? "ctid" : "rowid");
        var credentials = (await ReadAsync(db, SnapshotWriter.CredentialRow, "\"Id\"")).ToLookup(r => (string)r[0]!, StringComparer.Ordinal);
        var owners = (await ReadAsync(db, SnapshotWriter.OwnerRow, "\"Id\"")).ToLookup(r => (string)r[0]!, StringComparer.Ordinal);
        var messages = (await ReadAsync(db, Outbox.MessageRow, "\"Id\"")).ToLookup(r => ((string)r[0]!).Split('/')[0], StringComparer.Ordinal);
        var kind = SnapshotWriter.NewApp.Columns.Select(c => c.Name).ToList().IndexOf("Kind");
        var batches = new List<Batch>();
        foreach (var ofKind in apps.GroupBy(a => (string)a[kind]!))
        {
            foreach (var listed in ofKind.Chunk(batchSize))
            {
                var chunk = listed.OrderBy(a => (string)a[0]!, StringComparer.Ordinal).ToList();
                var ids = chunk.Select(a => (string)a[0]!).ToList();
                var notices = ids.SelectMany(id => messages[id]).ToList();
                batches.Add(new Batch(
                    [.. chunk],
                    [.. ids.SelectMany(id => credentials[id])],
                    [.. ids.SelectMany(id => owners[id])],
                    [.. notices.Select(m => (string)m[1]!).Distinct(StringComparer.Ordinal).Select(person => new object?[] { person })],
                    notices));
            }
        }

        return new StoreFloor(batches);
    }

    /// <summary>The batches a transaction holds when every batch shares one.</summary>
    public int AllBatches => _batches.Count;

    /// <summary>
    /// Writes every batch into the host's store, which must be empty; returns the Apps written. Statements, commits and
    /// the index build at the end are timed apart into <paramref name="parts"/>.
    /// </summary>
    public async Task<int> WriteAsync(IServiceProvider services, int batchesPerTransaction, Parts parts)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        var catalog = scope.ServiceProvider.GetRequiredService<AppCatalog>();
        // Disposed once, inside the timing: it builds the indexes set aside. A failed run leaves them aside, and the next
        // run's store is made new anyway.
        var load = await catalog.BeginBulkLoadAsync();
        var rows = RowSetWriter.For(db);
        foreach (var group in _batches.Chunk(batchesPerTransaction))
        {
            var statements = Stopwatch.StartNew();
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var batch in group)
            {
                await rows.TakeAsync(SnapshotWriter.NewApp, batch.Apps, SnapshotWriter.StoredColumns, mostlyNew: true, CancellationToken.None);
                await rows.InsertAsync(SnapshotWriter.CredentialRow, batch.Credentials, CancellationToken.None);
                await rows.InsertAsync(SnapshotWriter.OwnerRow, batch.Owners, CancellationToken.None);
                await rows.InsertNewAsync(Outbox.RecipientRow, Outbox.RecipientKey, batch.People, CancellationToken.None);
                await rows.InsertNewAsync(Outbox.MessageRow, Outbox.MessageKey, batch.Messages, CancellationToken.None);
            }

            parts.Statements += statements.Elapsed;
            var commit = Stopwatch.StartNew();
            await transaction.CommitAsync();
            parts.Commits += commit.Elapsed;
        }

        var build = Stopwatch.StartNew();
        await load.DisposeAsync();
        parts.IndexBuild += build.Elapsed;
        return _batches.Sum(b => b.Apps.Count);
    }

    /// <summary>Every row of <paramref name="shape"/>'s table, its columns as the row writer takes them, in <paramref name="order"/>.</summary>
    private static async Task<List<object?[]>> ReadAsync(CredentialBotDbContext db, RowShape shape, string order)
    {
        await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", shape.Names.Select(RowShape.Quote))} FROM {RowShape.Quote(shape.Table)} ORDER BY {order}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[shape.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : shape.Columns[i].Type switch
                {
                    ColumnType.Text => reader.GetString(i),
                    ColumnType.Int64 => reader.GetInt64(i),
                    _ => Convert.ToBoolean(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture),
                };
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Where a run's time went.</summary>
    public sealed class Parts
    {
        public TimeSpan Statements { get; set; }

        public TimeSpan Commits { get; set; }

        public TimeSpan IndexBuild { get; set; }
    }

    private sealed record Batch(List<object?[]> Apps, List<object?[]> Credentials, List<object?[]> Owners, List<object?[]> People, List<object?[]> Messages);
}
