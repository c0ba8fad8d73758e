using System.Globalization;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.Store;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Bench;

/// <summary>
/// What the load benchmarks (<c>p5</c>, <c>soak</c>) run against: a Simulator process serving a generated tenant
/// (seed 42), the real host as its own process in local mode over an empty store (it scans the tenant before it
/// listens, as local mode does), and a connector taking its replies. The people are Entra owners of applications with
/// secrets, one App each, found in the same generated tenant; elevation requests on their Apps, filed by others, are
/// stored for them to approve. The product in-process over the same store (<see cref="View"/>) seeds those requests
/// and counts removals; it runs nothing in the background.
/// </summary>
internal sealed class LoadRig : IAsyncDisposable
{
    private LoadRig(SimulatorProcess simulator, BenchStore store, BenchConnector connector, LocalBot bot, BenchHost view, HttpClient http, IReadOnlyList<BenchUser> users, BenchUser admin)
    {
        Simulator = simulator;
        Store = store;
        Connector = connector;
        Bot = bot;
        View = view;
        Http = http;
        Client = new BotClient(http, connector);
        Users = users;
        Admin = admin;
    }

    public SimulatorProcess Simulator { get; }

    public BenchStore Store { get; }

    public BenchConnector Connector { get; }

    public LocalBot Bot { get; }

    public BenchHost View { get; }

    public HttpClient Http { get; }

    public BotClient Client { get; }

    public IReadOnlyList<BenchUser> Users { get; }

    /// <summary>A CredentialBot admin (by configuration) who owns nothing here: asks for "scan now".</summary>
    public BenchUser Admin { get; }

    /// <param name="apps">Applications, and as many service principals, in the Simulator's tenant.</param>
    /// <param name="people">The people who act.</param>
    /// <param name="requestsPerPerson">Elevation requests seeded for each person to approve.</param>
    /// <param name="postgres">A PostgreSQL connection string, or null for SQLite.</param>
    /// <param name="clientTimeout">How long a person waits for an answer before counting a timeout.</param>
    /// <param name="graphLatency">How long the Simulator waits before each Graph answer (zero: at once).</param>
    public static async Task<LoadRig> StartAsync(int apps, int people, int requestsPerPerson, string? postgres, TimeSpan clientTimeout, TimeSpan graphLatency = default)
    {
        var latencyMs = (int)graphLatency.TotalMilliseconds;
        Console.WriteLine($"Generating {apps:N0} applications and {apps:N0} service principals in a Simulator process{(latencyMs > 0 ? $" that answers Graph after {latencyMs:N0} ms" : string.Empty)}…");
        string[] latency = latencyMs > 0 ? ["--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture)] : [];
        var simulator = await SimulatorProcess.StartAsync(apps, apps, latency);
        var tenant = GeneratedTenant.Create(apps, apps, seed: 42, TimeProvider.System);
        var (users, admin, requesters) = PickPeople(tenant, people);
        var store = await BenchStore.CreateAsync(postgres);
        var connector = await BenchConnector.StartAsync();
        Console.WriteLine($"Starting the host in local mode over {store.Provider}; it scans the tenant before it listens…");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var bot = await LocalBot.StartAsync(TimeSpan.FromMinutes(20), [
            $"--Graph:BaseUrl={simulator.BaseAddress}",
            "--Graph:UseSimulator=true",
            .. store.Settings,
            "--Cards:DialogButtons=TaskModule",
            $"--Authorization:AdminObjectIds:0={admin.ObjectId}",
        ]);
        Console.WriteLine($"Host ready after {started.Elapsed.TotalSeconds:F0} s at {bot.BaseAddress}");
        var view = await BenchHost.StartAsync(simulator.BaseAddress, store);
        await SeedRequestsAsync(view.Services, users, requesters, requestsPerPerson);
        var http = new HttpClient { BaseAddress = bot.BaseAddress, Timeout = clientTimeout };
        return new LoadRig(simulator, store, connector, bot, view, http, users, admin);
    }

    /// <summary>Old-secret removals: still scheduled, and done (removed or found gone) so far.</summary>
    public async Task<(int Scheduled, int Done)> RemovalsAsync()
    {
        await using var scope = View.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        var counts = await db.SecretRemovals.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return (counts.Where(c => c.Key == SecretRemovalStatus.Scheduled).Sum(c => c.Count), counts.Where(c => c.Key is SecretRemovalStatus.Removed or SecretRemovalStatus.AlreadyGone).Sum(c => c.Count));
    }

    /// <summary>
    /// Compliance summaries kept so far (the highest id: old ones are pruned): each finished scan keeps one, so the
    /// difference over a phase is the number of scans that finished in it.
    /// </summary>
    public async Task<long> SummariesKeptAsync()
    {
        await using var scope = View.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().ComplianceSnapshots.MaxAsync(s => (long?)s.Id) ?? 0;
    }

    /// <summary>"1, 5 and 15-minute load average" as /proc/loadavg has it.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await View.DisposeAsync();
        await Bot.DisposeAsync();
        await Connector.DisposeAsync();
        await Simulator.DisposeAsync();
        await Store.DisposeAsync();
    }

    /// <summary>
    /// One App per person: applications with at least one secret that has not expired (so its digest offers both Snooze
    /// and Acknowledge), each given to its first enabled owner who has none yet.
    /// The admin and the requesters are enabled people who own none of those Apps.
    /// </summary>
    private static (List<BenchUser> Users, BenchUser Admin, List<(string Id, string Name)> Requesters) PickPeople(SimulatorTenant tenant, int count)
    {
        var users = new List<BenchUser>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1);
        foreach (var app in tenant.Applications.Where(a => a.PasswordCredentials.Any(c => c.EndDateTime > tomorrow)))
        {
            if (users.Count == count)
            {
                break;
            }

            var owner = app.OwnerIds.Select(tenant.FindUser).FirstOrDefault(u => u is { AccountEnabled: true } && !taken.Contains(u.Id));
            if (owner is null)
            {
                continue;
            }

            taken.Add(owner.Id);
            users.Add(new BenchUser(owner.Id, owner.DisplayName, app.Id, app.DisplayName, [.. app.PasswordCredentials.Select(c => c.KeyId)],
                [.. app.PasswordCredentials.Where(c => c.EndDateTime > tomorrow).Select(c => c.KeyId)]));
        }

        if (users.Count < count)
        {
            throw new InvalidOperationException($"The tenant has only {users.Count} owners of applications with secrets; use more --apps.");
        }

        var owners = new HashSet<string>(tenant.Applications.Where(a => users.Any(u => u.AppObjectId == a.Id)).SelectMany(a => a.OwnerIds), StringComparer.Ordinal);
        var others = tenant.Users.Where(u => u.AccountEnabled && !owners.Contains(u.Id)).Take(21).ToList();
        var admin = new BenchUser(others[0].Id, others[0].DisplayName, string.Empty, string.Empty, [], []);
        return (users, admin, [.. others.Skip(1).Select(u => (u.Id, u.DisplayName))]);
    }

    /// <summary>Elevation requests on each person's App, filed by people who do not own it, waiting for a decision.</summary>
    private static async Task SeedRequestsAsync(IServiceProvider services, List<BenchUser> users, List<(string Id, string Name)> requesters, int perPerson)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var scope = services.CreateAsyncScope();
        var requests = scope.ServiceProvider.GetRequiredService<AccessRequestStore>();
        foreach (var user in users)
        {
            for (var i = 0; i < perPerson; i++)
            {
                var (id, name) = requesters[i % requesters.Count];
                var created = await requests.CreateAsync(new AccessRequest(0, AccessRequestKind.Elevation, user.AppObjectId, id, name, AppRight.ManageCredentials, TimeSpan.FromHours(1),
                    string.Create(CultureInfo.InvariantCulture, $"bench request {i}"), null, null, AccessRequestStatus.Pending, now, now + AccessRequest.DecisionWindow));
                user.PendingRequests.Enqueue(created.Id);
            }
        }

        Console.WriteLine($"Seeded {users.Count * perPerson:N0} elevation requests ({perPerson} per person) for the owners to approve.");
    }
}
