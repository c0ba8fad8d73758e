using System.Collections.Concurrent;
using System.Diagnostics;
using CredentialBot.Domain;
using CredentialBot.Hosting;
using CredentialBot.Digests;
using CredentialBot.Store;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Bench;

/// <summary>
/// Benchmark (d): N people each owed one digest, sent through the real dispatcher to a fake Bot Connector that
/// enforces Teams' limits (50 requests/s per tenant, 7/s per conversation) by answering 429 like Teams does. Half
/// the people have never talked to the bot: they are found in the roster of a team the bot is in and get a new 1:1
/// conversation first. Prints the achieved rate against the 50/s ceiling, the busiest one-second window, 429s provoked,
/// conversations created, duplicates and losses. With <c>--instances N --postgres "…"</c>, N hosts (each its own
/// container: dispatcher, send limits) share one PostgreSQL database and dispatch at once, as N instances would.
/// </summary>
internal static class FanOut
{
    private const string Tenant = "bench-tenant";

    /// <param name="digests">People, each owed one digest.</param>
    /// <param name="instances">Hosts sharing the store, each with its own dispatcher and send limits.</param>
    /// <param name="postgres">The PostgreSQL server to create the store on; null for SQLite.</param>
    /// <param name="coldHosts">
    /// Skip what a dispatching host does when it starts (<see cref="SendPathWarmUp"/>, a hosted service; the bench starts
    /// none, so it runs it itself unless told not to): the pass then runs on hosts as the bench had them before
    /// 2026-12-05 (wave 5), paying the send path's compilation inside the measured time.
    /// </param>
    public static async Task<int> RunAsync(int digests, int instances = 1, string? postgres = null, bool coldHosts = false)
    {
        if (instances > 1 && postgres is null)
        {
            Console.WriteLine("--instances needs a shared store: add --postgres \"<connection string>\".");
            return 2;
        }

        await using var connector = await LimitedConnector.StartAsync(perSecond: 50);
        connector.People = digests;
        await using var store = await BenchStore.CreateAsync(postgres);
        // Several instances share only the database (and, as in production, the audit chain's key and checkpoint file).
        string[] shared = [$"--Audit:ChainKey={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}", $"--Audit:CheckpointPath={Path.Combine(Path.GetTempPath(), $"cb-bench-checkpoints-{Guid.NewGuid():N}")}"];
        var hosts = new List<BenchHost>();
        try
        {
            for (var i = 0; i < instances; i++)
            {
                hosts.Add(await BenchHost.StartAsync(new Uri("http://127.0.0.1:9/v1.0/"), store, shared));
            }

            if (!coldHosts)
            {
                var warming = Stopwatch.StartNew();
                await Task.WhenAll(hosts.Select(host => host.Services.GetRequiredService<SendPathWarmUp>().RunAsync(CancellationToken.None)));
                Console.WriteLine($"Send path warmed up on {instances} host(s) as they do at start, in {warming.Elapsed.TotalMilliseconds:F0} ms (--cold skips this).");
            }

            await SeedAsync(hosts[0].Services, digests, connector.ServiceUrl);

            using var probe = new BudgetProbe();
            Console.WriteLine($"Dispatching {digests:N0} digests from {instances} {(coldHosts ? "cold " : string.Empty)}instance(s) on {store.Provider} to a connector that allows 50 requests/s…");
            var watchStarted = Stopwatch.GetTimestamp();
            var watch = Stopwatch.StartNew();
            var sentBy = await Task.WhenAll(hosts.Select(host => Task.Run(async () =>
            {
                await using var scope = host.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(CancellationToken.None);
            })));
            watch.Stop();

            var delivered = connector.Deliveries;
            var arrivals = connector.Arrivals();
            var rate = arrivals.Length / watch.Elapsed.TotalSeconds;
            Console.WriteLine();
            Console.WriteLine($"sent (dispatchers):         {string.Join(" + ", sentBy.Select(n => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}");
            Console.WriteLine($"conversations delivered:    {delivered.Count:N0} of {digests:N0} (lost: {digests - delivered.Count:N0})");
            Console.WriteLine($"duplicates:                 {delivered.Values.Count(v => v > 1):N0}");
            Console.WriteLine($"429s provoked:              {connector.Throttled:N0}");
            Console.WriteLine($"1:1 conversations created:  {connector.Created:N0} (roster pages read: {connector.RosterPages:N0})");
            Console.WriteLine($"wall time:                  {watch.Elapsed.TotalSeconds:F1} s");
            Console.WriteLine($"Connector requests:         {arrivals.Length:N0} (digests {delivered.Values.Sum():N0}, 1:1 conversations {connector.Created:N0}, roster pages {connector.RosterPages:N0}, 429s {connector.Throttled:N0})");
            Console.WriteLine($"rate (every request):       {rate:F1}/s = {rate / 50 * 100:F1} % of the 50/s ceiling (target >= 98 %)");
            Console.WriteLine($"digests:                    {delivered.Values.Sum() / watch.Elapsed.TotalSeconds:F1}/s");
            Console.WriteLine($"busiest one-second window:  {connector.BusiestSecond()} requests (ceiling 50)");
            foreach (var line in Timeline(watchStarted, arrivals, watch.Elapsed).Concat(probe.Report()))
            {
                Console.WriteLine(line);
            }

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            return 0;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Where the wall time went, from the arrivals at the connector: before the first request, after the last, and the
    /// gaps between requests beyond the 20 ms that 50 a second allow (each such gap is budget left unused).
    /// </summary>
    private static IEnumerable<string> Timeline(long started, long[] arrivals, TimeSpan wall)
    {
        if (arrivals.Length < 2)
        {
            yield break;
        }

        var pace = TimeSpan.FromSeconds(1.0 / 50);
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b)).Select((gap, i) => (Gap: gap, After: i + 1)).ToArray();
        var unused = gaps.Where(g => g.Gap > pace).Sum(g => (g.Gap - pace).TotalSeconds);
        var before = Stopwatch.GetElapsedTime(started, arrivals[0]);
        var after = wall - Stopwatch.GetElapsedTime(started, arrivals[^1]);
        var span = Stopwatch.GetElapsedTime(arrivals[0], arrivals[^1]);
        yield return $"first request after:         {before.TotalMilliseconds:F0} ms; last request {after.TotalMilliseconds:F0} ms before the end";
        yield return $"first to last request:       {span.TotalSeconds:F1} s, {(arrivals.Length - 1) / span.TotalSeconds:F2}/s";
        yield return $"gaps beyond 20 ms:           {unused:F1} s in all; gaps > 100 ms: {gaps.Count(g => g.Gap > TimeSpan.FromMilliseconds(100))}, total {gaps.Where(g => g.Gap > TimeSpan.FromMilliseconds(100)).Sum(g => g.Gap.TotalSeconds):F1} s";
        yield return "largest gaps (ms after request #): " + string.Join(", ", gaps.OrderByDescending(g => g.Gap).Take(12).Select(g => $"{g.Gap.TotalMilliseconds:F0}@{g.After}"));
        var perSecond = arrivals.GroupBy(a => (int)Stopwatch.GetElapsedTime(arrivals[0], a).TotalSeconds).Select(g => g.Count()).ToArray();
        var full = perSecond.Length > 2 ? perSecond[1..^1].Order().ToArray() : perSecond;
        yield return $"requests per whole second:   min {full[0]}, median {full[full.Length / 2]}, max {full[^1]} over {full.Length} seconds";
    }

    /// <summary>One App per person, a secret 5 days from expiry, the person its only owner and installed.</summary>
    private static async Task SeedAsync(IServiceProvider services, int people, Uri serviceUrl)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<CredentialBotDbContext>();
        var now = TimeProvider.System.GetUtcNow();
        var catalog = provider.GetRequiredService<AppCatalog>();
        var references = provider.GetRequiredService<ConversationReferenceStore>();
        foreach (var chunk in Enumerable.Range(0, people).Chunk(1_000))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await catalog.UpsertSnapshotAsync(
                [.. chunk.Select(i => new App($"app-{i}", $"appid-{i}", $"Fan-out App {i}", AppKind.Application,
                    [new Credential($"key-{i}", CredentialKind.Secret, "prod", now.AddDays(-360), now.AddDays(5.5))],
                    [new Owner(OwnerKind.Entra, $"person-{i}", $"Person {i}", null)]))],
                now);
            await transaction.CommitAsync();
            foreach (var i in chunk.Where(i => i % 2 == 0))
            {
                await references.UpsertAsync(new ConversationReferenceRecord
                {
                    ConversationId = $"a:person-{i}",
                    ConversationType = "personal",
                    UserObjectId = $"person-{i}",
                    UserId = $"29:person-{i}",
                    TenantId = Tenant,
                    ServiceUrl = serviceUrl.ToString(),
                    ChannelId = "msteams",
                    BotId = "28:bench-bot",
                    UpdatedAt = now,
                });
            }
        }

        // The team everyone is in; the odd-numbered half have no 1:1 conversation yet.
        await references.UpsertAsync(new ConversationReferenceRecord
        {
            ConversationId = "19:bench-team@thread.tacv2",
            ConversationType = "channel",
            TenantId = Tenant,
            ServiceUrl = serviceUrl.ToString(),
            ChannelId = "msteams",
            BotId = "28:bench-bot",
            TeamId = "19:bench-team@thread.tacv2",
            UpdatedAt = now,
        });
        var planned = await provider.GetRequiredService<NotificationPlanning>().PlanAsync(CancellationToken.None);
        Console.WriteLine($"Seeded {people:N0} people and apps ({people / 2:N0} with a 1:1 conversation, the rest only in a team roster); {planned:N0} notices planned.");
    }

    /// <summary>A Bot Connector that counts deliveries per conversation and answers 429 beyond its per-second budget.</summary>
    private sealed class LimitedConnector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<long> _recent = new();
        private readonly ConcurrentQueue<long> _arrivals = new();
        private readonly object _gate = new();
        private int _throttled;
        private int _created;
        private int _rosterPages;

        private LimitedConnector(WebApplication app) => _app = app;

        public ConcurrentDictionary<string, int> Deliveries { get; } = new(StringComparer.Ordinal);

        public int Throttled => Volatile.Read(ref _throttled);

        public int Created => Volatile.Read(ref _created);

        public int RosterPages => Volatile.Read(ref _rosterPages);

        public int People { get; set; }

        public Uri ServiceUrl { get; private set; } = null!;

        public static async Task<LimitedConnector> StartAsync(int perSecond)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var connector = new LimitedConnector(app);
            app.MapPost("/v3/conversations/{conversation}/activities", (string conversation, HttpContext context) =>
            {
                if (connector.Refuse(perSecond, context) is { } refused)
                {
                    return refused;
                }

                connector.Deliveries.AddOrUpdate(conversation, 1, (_, n) => n + 1);
                return Results.Json(new { id = Guid.NewGuid().ToString("N") }, statusCode: 201);
            });
            app.MapGet("/v3/conversations/{conversation}/pagedmembers", (string conversation, string? continuationToken, HttpContext context) =>
            {
                if (connector.Refuse(perSecond, context) is { } refused)
                {
                    return refused;
                }

                Interlocked.Increment(ref connector._rosterPages);
                var start = int.TryParse(continuationToken, out var s) ? s : 0;
                var end = Math.Min(start + 500, connector.People);
                return Results.Json(new
                {
                    continuationToken = end < connector.People ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                    members = Enumerable.Range(start, end - start).Select(i => new { id = $"29:person-{i}", objectId = $"person-{i}" }).ToArray(),
                });
            });
            app.MapPost("/v3/conversations", async (HttpContext context) =>
            {
                if (connector.Refuse(perSecond, context) is { } refused)
                {
                    return refused;
                }

                // Teams creates (or returns) the 1:1 conversation; it answers with its id.
                using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
                var member = body.RootElement.GetProperty("members")[0].GetProperty("id").GetString()!;
                Interlocked.Increment(ref connector._created);
                return Results.Json(new { id = "a:" + member["29:".Length..] }, statusCode: 201);
            });
            await app.StartAsync();
            connector.ServiceUrl = new Uri(app.Urls.First() + "/");
            return connector;
        }

        /// <summary>Teams meters every request of the app in the tenant: beyond the limit, a 429 with Retry-After.</summary>
        private IResult? Refuse(int perSecond, HttpContext context)
        {
            if (Admit(perSecond))
            {
                return null;
            }

            Interlocked.Increment(ref _throttled);
            context.Response.Headers.RetryAfter = "1";
            return Results.Json(new { error = new { code = "TooManyRequests" } }, statusCode: 429);
        }

        /// <summary>Every arrival (admitted or answered 429), as Stopwatch timestamps, in order.</summary>
        public long[] Arrivals() => [.. _arrivals.Order()];

        /// <summary>The most requests that arrived within any one second (admitted or answered 429), from each arrival on.</summary>
        public int BusiestSecond()
        {
            var times = _arrivals.Order().ToArray();
            var busiest = 0;
            for (int start = 0, end = 0; start < times.Length; start++)
            {
                while (end < times.Length && times[end] - times[start] < Stopwatch.Frequency)
                {
                    end++;
                }

                busiest = Math.Max(busiest, end - start);
            }

            return busiest;
        }

        /// <summary>A sliding one-second window, as strict as Teams' own accounting.</summary>
        private bool Admit(int perSecond)
        {
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                _arrivals.Enqueue(now);
                while (_recent.TryPeek(out var oldest) && Stopwatch.GetElapsedTime(oldest, now) >= TimeSpan.FromSeconds(1))
                {
                    _recent.TryDequeue(out _);
                }

                if (_recent.Count >= perSecond)
                {
                    return false;
                }

                _recent.Enqueue(now);
                return true;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
