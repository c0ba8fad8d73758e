using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CredentialBot.BotFramework.Connector;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Auth;
using CredentialBot.TestKit.Connector;
using CredentialBot.TestKit.Logging;
using CredentialBot.TestKit.Time;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The real host in production mode: inbound requests carry JWTs signed by a test key and validated against
/// a local OpenID metadata endpoint; Graph is the Simulator's demo tenant; replies go to a fake connector.
/// Tests speak in intents: <see cref="SendMessageAsync"/>, <see cref="InstallAsync"/>.
/// </summary>
public sealed class BotHost : IAsyncLifetime
{
    public const string BotAppId = "6f1c2a9e-3b1d-4c55-9a7e-2f0d1c3b4a55";
    public const string TenantId = "00000000-0000-0000-0000-0000000000001";
    public const string Alex = "00000000-0000-0000-0000-0000000000020";
    public const string Megan = "00000000-0000-0000-0000-0000000000021";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private WebApplicationFactory<Program> _factory = null!;
    private int _activitySequence;
    private bool _realOutboundTokens;
    private GraphLimits? _graphLimits;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    private readonly List<Action<IServiceCollection>> _services = [];

    /// <summary>Extra service replacements, applied before <see cref="InitializeAsync"/>.</summary>
    public BotHost WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>
    /// Outbound Bot Connector tokens from the host's real app identity (Identity.Web) instead of a fixed test token;
    /// the test configures <c>AzureAd</c> and the token endpoints.
    /// </summary>
    public BotHost WithRealOutboundTokens()
    {
        _realOutboundTokens = true;
        return this;
    }

    /// <summary>A Simulator that meters Graph's published limits on the host's clock (<see cref="Time"/>), answering 429 beyond them.</summary>
    public BotHost WithGraphLimits(GraphLimits limits)
    {
        _graphLimits = limits;
        return this;
    }

    /// <summary>Extra configuration, applied before <see cref="InitializeAsync"/>.</summary>
    public BotHost With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>
    /// Starts a host with <paramref name="settings"/>, expecting it to refuse, and returns why. WebApplicationFactory can
    /// lose a start-up failure to a race with its own disposal and throw ObjectDisposedException instead (seen once in a
    /// full run under load; dotnet/aspnetcore#33494 is the same race). That says nothing about the host, so only then is
    /// the start tried again, at most twice; any other failure is returned as it came.
    /// </summary>
    public static async Task<Exception> RefusedStartAsync(params (string Key, string Value)[] settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var bot = new BotHost();
            foreach (var (key, value) in settings)
            {
                bot.With(key, value);
            }

            var failure = await Assert.ThrowsAnyAsync<Exception>(bot.InitializeAsync);
            await bot.DisposeAsync();
            if (failure is not ObjectDisposedException || attempt == 3)
            {
                return failure;
            }
        }
    }

    public TestSigningKey SigningKey { get; } = TestSigningKey.Create();

    public LocalOpenIdMetadataServer Metadata { get; private set; } = null!;

    public FakeConnectorServer Connector { get; private set; } = null!;

    public SimulatorServer Simulator { get; private set; } = null!;

    /// <summary>The Simulator's settings, read per request: a test may add latency once the host has started.</summary>
    public SimulatorOptions SimulatorOptions { get; private set; } = null!;

    public SimulatorTenant Tenant { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    /// <summary>Every log line of the host, at every level.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The SQLite database file (and its WAL/journal files, when present).</summary>
    public string DatabasePath => Path.Combine(_directory, "e2e.db");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        Metadata = await LocalOpenIdMetadataServer.StartAsync(SigningKey);
        Connector = await FakeConnectorServer.StartAsync();
        Tenant = DemoTenant.Create(Time);
        SimulatorOptions = new SimulatorOptions { Limits = _graphLimits, Time = _graphLimits is null ? TimeProvider.System : Time };
        Simulator = await SimulatorServer.StartAsync(Tenant, SimulatorOptions);

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Bot:MicrosoftAppId", BotAppId);
            web.UseSetting("Bot:ClientSecret", "not-used-outbound-tokens-are-faked");
            web.UseSetting("Bot:OpenIdMetadataUrl", Metadata.MetadataUrl.ToString());
            web.UseSetting("Bot:AllowedServiceUrls:0", Connector.ServiceUrl.Host);
            web.UseSetting("Bot:AllowedTenants:0", TenantId);
            web.UseSetting("Graph:BaseUrl", Simulator.BaseAddress.ToString());
            web.UseSetting("Graph:UseSimulator", "true");
            web.UseSetting("Store:ConnectionString", $"Data Source={Path.Combine(_directory, "e2e.db")}");
            web.UseSetting("Scanner:Enabled", "false");
            web.UseSetting("Notifications:DispatcherEnabled", "false");
            web.UseSetting("Janitor:Enabled", "false");
            foreach (var (key, value) in _settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services =>
            {
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
                services.Configure<Microsoft.Extensions.Logging.LoggerFilterOptions>(o =>
                    o.Rules.Add(new Microsoft.Extensions.Logging.LoggerFilterRule(typeof(LogCapture).FullName, null, Microsoft.Extensions.Logging.LogLevel.Trace, null)));
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Time);
                if (!_realOutboundTokens)
                {
                    services.RemoveAll<IConnectorTokenProvider>();
                    services.AddSingleton<IConnectorTokenProvider>(new StaticConnectorTokenProvider("outbound-test-token"));
                }
                foreach (var configure in _services)
                {
                    configure(services);
                }
            });
        });

        Client = _factory.CreateClient();
        await ScanAndSeedAsync();
    }

    public async Task DisposeAsync()
    {
        // Null when start-up failed (a test of a refused setting).
        Client?.Dispose();
        await _factory.DisposeAsync();
        await Simulator.DisposeAsync();
        await Connector.DisposeAsync();
        await Metadata.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file for a moment after disposal; a temp folder left behind is harmless.
        }
    }

    /// <summary>What a scheduled scan does, run now; plus the demo's store-kept owners as an admin would import them.</summary>
    public async Task ScanAndSeedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PolicyStore>().EnsureDefaultsAsync();
        await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
        var ownerships = scope.ServiceProvider.GetRequiredService<OwnershipStore>();
        foreach (var seed in DemoTenant.StoreOwnerships)
        {
            var person = Tenant.FindUser(seed.PersonObjectId)!;
            await ownerships.AddOwnerAsync(seed.AppObjectId, new Owner(Enum.Parse<OwnerKind>(seed.Kind), person.Id, person.DisplayName, person.UserPrincipalName, person.AccountEnabled, false, seed.ManageCredentials));
        }
    }

    public Task<HttpResponseMessage> InstallAsync(string userObjectId = Alex, string userName = "Alex Wilber") =>
        PostAsync(Activity("installationUpdate", userObjectId, userName, conversationId: PersonalConversation(userObjectId), extra: a => a["action"] = "add"));

    public Task<HttpResponseMessage> SendMessageAsync(string text, string userObjectId = Alex, string userName = "Alex Wilber") =>
        PostAsync(Activity("message", userObjectId, userName, conversationId: PersonalConversation(userObjectId), extra: a => a["text"] = text));

    /// <summary>
    /// A message posted while the test holds the clock: the host's timers (pacing, budgets) stand still until the test
    /// moves <see cref="Time"/>, where <see cref="SendMessageAsync"/> moves it with the wall clock while it waits.
    /// </summary>
    public async Task<HttpResponseMessage> SendMessageHoldingTheClockAsync(string text, string userObjectId = Alex, string userName = "Alex Wilber")
    {
        using var request = MessagesRequest(Activity("message", userObjectId, userName, conversationId: PersonalConversation(userObjectId), extra: a => a["text"] = text));
        return await Client.SendAsync(request);
    }

    /// <summary>A card button press: Action.Submit posts its data as <c>value</c>, with no text.</summary>
    public Task<HttpResponseMessage> PressButtonAsync(JsonNode data, string userObjectId = Alex, string userName = "Alex Wilber") =>
        PostAsync(Activity("message", userObjectId, userName, conversationId: PersonalConversation(userObjectId), extra: a => a["value"] = data.DeepClone()));

    /// <summary>The bot being added to a team: Teams' conversationUpdate in the team's General channel.</summary>
    public Task<HttpResponseMessage> AddToTeamAsync(string channelConversationId) =>
        PostAsync(Activity("conversationUpdate", Megan, "Megan Bowen", channelConversationId, "channel", a =>
        {
            a["membersAdded"] = new JsonArray(new JsonObject { ["id"] = $"28:{BotAppId}" });
            a["channelData"]!["eventType"] = "teamMemberAdded";
            a["channelData"]!["team"] = new JsonObject { ["id"] = channelConversationId };
        }));

    /// <summary>A channel message that @mentions the bot, as Teams delivers it.</summary>
    public Task<HttpResponseMessage> SendChannelMessageAsync(string text, string userObjectId = Alex, string userName = "Alex Wilber") =>
        PostAsync(Activity("message", userObjectId, userName, conversationId: "19:general@thread.tacv2", conversationType: "channel", extra: a =>
        {
            a["text"] = $"<at>CredentialBot</at> {text}";
            a["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = "<at>CredentialBot</at>",
                ["mentioned"] = new JsonObject { ["id"] = $"28:{BotAppId}", ["name"] = "CredentialBot" },
            });
            a["channelData"]!["team"] = new JsonObject { ["id"] = "19:team@thread.tacv2" };
            a["channelData"]!["channel"] = new JsonObject { ["id"] = "19:general@thread.tacv2" };
        }));

    /// <summary>An invoke (task/fetch, adaptiveCard/action, …) from a person; the answer is the HTTP status and body.</summary>
    public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.JsonElement Body)> InvokeAsync(
        string name, JsonNode value, string userObjectId, string userName, string? conversationId = null, string? replyToId = null, string conversationType = "personal")
    {
        var invoke = Activity("invoke", userObjectId, userName, conversationId ?? PersonalConversation(userObjectId), conversationType, a =>
        {
            a["name"] = name;
            a["value"] = value.DeepClone();
            if (replyToId is not null)
            {
                a["replyToId"] = replyToId;
            }
        });
        using var response = await PostAsync(invoke);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>An Action.Execute click; the answer is the adaptiveCard/action response body.</summary>
    public async Task<System.Text.Json.JsonElement> ExecuteAsync(string verb, JsonNode data, string userObjectId, string userName, string? conversationId = null)
    {
        var (_, body) = await InvokeAsync("adaptiveCard/action", new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() },
            ["trigger"] = "manual",
        }, userObjectId, userName, conversationId);
        return body;
    }

    /// <summary>
    /// From now on the database itself refuses audit events of <paramref name="operation"/> (only those with
    /// <paramref name="outcome"/>, when given), as a full disk or a broken trigger would: whatever an action writes in
    /// the same change as that event must then not land.
    /// </summary>
    public async Task RefuseAuditEventsAsync(string operation, string? outcome = null)
    {
        // A trigger's body takes no parameters: the names go in as literals, so they must be plain words.
        Assert.True(operation.All(char.IsAsciiLetter) && (outcome ?? string.Empty).All(char.IsAsciiLetter), "Operations and outcomes are plain words.");
        var when = outcome is null ? $"NEW.Operation = '{operation}'" : $"NEW.Operation = '{operation}' AND NEW.Outcome = '{outcome}'";
        await using var scope = Services.CreateAsyncScope();
#pragma warning disable EF1002 // Checked above: only plain words reach the statement.
        await scope.ServiceProvider.GetRequiredService<CredentialBot.Store.CredentialBotDbContext>().Database.ExecuteSqlRawAsync(
            $"CREATE TRIGGER refuse_{operation}_{outcome ?? "all"} BEFORE INSERT ON AuditEvents WHEN {when} BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END;");
#pragma warning restore EF1002
    }

    /// <summary>The audit trail, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> AuditAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBot.Store.CredentialBotDbContext>();
        return [.. db.AuditEvents.OrderBy(e => e.Sequence).Select(e => new AuditEvent(e.ActorObjectId, e.ActorName, e.AppObjectId, e.Operation, e.Outcome, e.Reason, e.Ticket, e.At))];
    }

    /// <summary>One janitor round, as the hosted service runs it every minute.</summary>
    public async Task RunJanitorAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<CredentialBot.Shared.Jobs.JanitorRound>().RunOnceAsync(CancellationToken.None));
    }

    public JsonObject Activity(string type, string userObjectId, string userName, string conversationId, string conversationType = "personal", Action<JsonObject>? extra = null)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = $"incoming-{Interlocked.Increment(ref _activitySequence)}",
            ["timestamp"] = Time.GetUtcNow().ToString("O"),
            ["serviceUrl"] = Connector.ServiceUrl.ToString(),
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = $"29:{userObjectId}", ["name"] = userName, ["aadObjectId"] = userObjectId },
            ["recipient"] = new JsonObject { ["id"] = $"28:{BotAppId}", ["name"] = "CredentialBot" },
            ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = TenantId, ["isGroup"] = conversationType != "personal" },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        };
        extra?.Invoke(activity);
        return activity;
    }

    /// <summary>Posts an activity with a valid Bot Connector token for it.</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity)
    {
        using var request = MessagesRequest(activity);
        return await Time.RunAsync(() => Client.SendAsync(request));
    }

    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token)
    {
        using var request = MessagesRequest(activity, token);
        return await Time.RunAsync(() => Client.SendAsync(request));
    }

    /// <summary>A POST of the activity to <c>/api/messages</c>, with a valid Bot Connector token for it unless one is given.</summary>
    private HttpRequestMessage MessagesRequest(JsonObject activity) =>
        MessagesRequest(activity, BotTokenFactory.Create(SigningKey, audience: BotAppId, serviceUrl: activity["serviceUrl"]!.GetValue<string>(), now: Time.GetUtcNow()));

    private static HttpRequestMessage MessagesRequest(JsonObject activity, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    internal static string PersonalConversation(string userObjectId) => $"a:personal-{userObjectId}";
}

/// <summary>Outbound Bot Connector tokens are Identity.Web's job in production (see SigningInAsTheBot); here a fixed value proves it is attached.</summary>
internal sealed class StaticConnectorTokenProvider(string token) : IConnectorTokenProvider
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);
}
