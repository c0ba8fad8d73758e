using System.Diagnostics;
using System.Globalization;
using CredentialBot.Shared.Commands;
using CredentialBot.Domain;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Bench;

/// <summary>
/// <c>search [--apps 200000] [--queries 2000] [--postgres "&lt;connection string&gt;"]</c>: the message extension's search
/// (<see cref="AppCatalog.SearchAsync"/>, 25 results) and <c>status &lt;partial name&gt;</c>
/// (<see cref="AppCatalog.FindAsync"/>, <see cref="AppChoicesCard.MaxChoices"/> + 1) over a store of generated Apps
/// with varied names and owners, each query on a fresh context as a request would have. Queries mix partial names,
/// whole names, appIds, owners' names and user principal names, one- and two-character prefixes, words most Apps
/// share, and text nothing matches. Prints p50/p99/max per kind and overall; target p99 ≤ 50 ms.
/// </summary>
internal static class SearchBench
{
    private const int MessageExtensionResults = 25;

    private static readonly string[] Organisations = ["Contoso", "Fabrikam", "Northwind", "Adatum", "Tailspin", "Litware", "Proseware", "Woodgrove", "Wingtip", "Lucerne", "Alpine", "Coho"];
    private static readonly string[] Domains = ["Payroll", "Billing", "Inventory", "Expenses", "CRM", "Analytics", "Identity", "Reporting", "Marketing", "Logistics", "Procurement", "Recruiting", "Ledger", "Support", "Telemetry", "Search", "Catalog", "Pricing", "Shipping", "Compliance"];
    private static readonly string[] Kinds = ["API", "Web", "Service", "Worker", "Portal", "Connector", "Sync", "Bot", "Gateway", "Function"];
    private static readonly string[] GivenNames = ["Alex", "Megan", "Adele", "Diego", "Isaiah", "Johanna", "Lee", "Lidia", "Lynne", "Miriam", "Nestor", "Patti", "Pradeep", "Grady", "Henrietta", "Irvin", "Joni", "Allan", "Debra", "Emily"];
    private static readonly string[] Surnames = ["Wilber", "Bowen", "Vance", "Siciliani", "Langer", "Lambert", "Marshall", "Holt", "Robbins", "Graham", "Wilke", "Fernandez", "Gupta", "Archie", "Mueller", "Sherman", "Stone", "Brown", "Zimmerman", "Jones"];

    public static async Task<int> RunAsync(string[] args)
    {
        var apps = Program.IntArg(args, "--apps", 200_000);
        var queries = Program.IntArg(args, "--queries", 2_000);
        var postgres = BenchStore.PostgresOption(args);
        await using var store = await BenchStore.CreateAsync(postgres);
        var options = Options(store);
        Console.WriteLine($"Loading {apps:N0} Apps into {(postgres is null ? "SQLite" : "PostgreSQL")}…");
        var watch = Stopwatch.StartNew();
        await LoadAsync(options, apps);
        Console.WriteLine($"  loaded in {watch.Elapsed.TotalSeconds:F1} s");

        var random = new Random(7);
        var workload = Enumerable.Range(0, queries).Select(_ => Query(random, apps)).ToList();
        Console.WriteLine("Warming up (200 queries, not counted)…");
        foreach (var (_, text) in workload.Take(200))
        {
            await TimeAsync(options, text, search: true);
            await TimeAsync(options, text, search: false);
        }

        var results = new List<(string Kind, bool Search, double Milliseconds)>();
        foreach (var (kind, text) in workload)
        {
            results.Add((kind, true, await TimeAsync(options, text, search: true)));
            results.Add((kind, false, await TimeAsync(options, text, search: false)));
        }

        Console.WriteLine();
        Console.WriteLine($"{"query kind",-24} {"method",-12} {"queries",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var group in results.GroupBy(r => (r.Kind, r.Search)).OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Search))
        {
            Print(group.Key.Kind, group.Key.Search, [.. group.Select(r => r.Milliseconds)]);
        }

        Print("all", search: true, [.. results.Where(r => r.Search).Select(r => r.Milliseconds)]);
        Print("all", search: false, [.. results.Where(r => !r.Search).Select(r => r.Milliseconds)]);
        var p99 = Percentile([.. results.Select(r => r.Milliseconds)], 0.99);
        Console.WriteLine();
        Console.WriteLine($"p99 over both methods: {p99:F1} ms (target <= 50 ms) at {apps:N0} Apps");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; load averages at the end: {(File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a")}");
        return 0;
    }

    private static DbContextOptions Options(BenchStore store) => store.Provider == "Postgres"
        ? new DbContextOptionsBuilder<PostgresCredentialBotDbContext>().UseNpgsql(store.ConnectionString).Options
        : new DbContextOptionsBuilder<SqliteCredentialBotDbContext>().UseSqlite(store.ConnectionString).Options;

    private static CredentialBotDbContext NewContext(DbContextOptions options) => options is DbContextOptions<PostgresCredentialBotDbContext> postgres
        ? new PostgresCredentialBotDbContext(postgres)
        : new SqliteCredentialBotDbContext((DbContextOptions<SqliteCredentialBotDbContext>)options);

    /// <summary>Writes the Apps the way a first scan does: bulk load, batches of 1,000 in transactions.</summary>
    private static async Task LoadAsync(DbContextOptions options, int count)
    {
        await using (var db = NewContext(options))
        {
            await StoreDatabase.MigrateAsync(db);
        }

        var now = TimeProvider.System.GetUtcNow();
        await using var context = NewContext(options);
        var catalog = new AppCatalog(context, TimeProvider.System);
        await using (await catalog.BeginBulkLoadAsync())
        {
            foreach (var chunk in Enumerable.Range(0, count).Chunk(1_000))
            {
                await using var transaction = await context.Database.BeginTransactionAsync();
                await catalog.UpsertSnapshotAsync([.. chunk.Select(i => Generated(i, now))], now);
                await transaction.CommitAsync();
            }
        }

        if (context.Database.IsNpgsql())
        {
            // Statistics for the planner, as autovacuum would gather them shortly after a first scan.
            await context.Database.ExecuteSqlRawAsync("ANALYZE");
        }
    }

    private static App Generated(int i, DateTimeOffset now)
    {
        var name = $"{Organisations[i % Organisations.Length]} {Domains[i / Organisations.Length % Domains.Length]} {Kinds[i / 240 % Kinds.Length]} {i / 2_400:D3}";
        var owners = Enumerable.Range(0, i % 5).Select(k => Person((i * 7) + (k * 131))).DistinctBy(o => o.ObjectId).ToList();
        return new App(Id(i, "5"), Id(i, "6"), name, i % 2 == 0 ? AppKind.Application : AppKind.ServicePrincipal,
            [new Credential(Id(i, "7"), CredentialKind.Secret, "prod", now.AddDays(-100), now.AddDays(i % 700))], owners);
    }

    private static Owner Person(int n)
    {
        var person = n % 5_000;
        var given = GivenNames[person % GivenNames.Length];
        var surname = Surnames[person / GivenNames.Length % Surnames.Length];
        return new Owner(OwnerKind.Entra, Id(person, "8"), $"{given} {surname}", $"{given}.{surname}{person / 400}@contoso.com".ToLowerInvariant());
    }

    private static string Id(int i, string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{(uint)(i * 2_654_435_761):x7}-{i % 65_536:x4}-4000-8000-{i:D12}");

    private static (string Kind, string Text) Query(Random random, int apps)
    {
        var i = random.Next(apps);
        var app = Generated(i, DateTimeOffset.UnixEpoch);
        var words = app.DisplayName.Split(' ');
        var person = Person(random.Next(5_000));
        return random.Next(10) switch
        {
            0 => ("partial name", words[1][1..] + " " + words[2][..2]),
            1 => ("partial name", words[0][2..]),
            2 => ("whole name", app.DisplayName),
            3 => ("appId", app.AppId),
            4 => ("owner name", person.DisplayName.Split(' ')[1][..4]),
            5 => ("owner upn", person.UserPrincipalName![..(person.UserPrincipalName!.IndexOf('@', StringComparison.Ordinal) + 2)]),
            6 => ("prefix (1-2 chars)", words[0][..(1 + random.Next(2))]),
            7 => ("common word", Kinds[random.Next(Kinds.Length)]),
            8 => ("no match", "zq" + random.Next(1_000).ToString(CultureInfo.InvariantCulture)),
            _ => ("name and number", words[2] + " " + words[3][..2]),
        };
    }

    private static async Task<double> TimeAsync(DbContextOptions options, string text, bool search)
    {
        var watch = Stopwatch.StartNew();
        await using var db = NewContext(options);
        var catalog = new AppCatalog(db, TimeProvider.System);
        _ = search ? await catalog.SearchAsync(text, MessageExtensionResults) : await catalog.FindAsync(text, AppChoicesCard.MaxChoices + 1);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Print(string kind, bool search, List<double> milliseconds) =>
        Console.WriteLine($"{kind,-24} {(search ? "SearchAsync" : "FindAsync"),-12} {milliseconds.Count,8} {Percentile(milliseconds, 0.5),8:F1} {Percentile(milliseconds, 0.99),8:F1} {milliseconds.Max(),8:F1}");

    private static double Percentile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
    }
}
