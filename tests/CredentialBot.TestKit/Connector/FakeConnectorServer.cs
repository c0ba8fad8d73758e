using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CredentialBot.TestKit.Connector;

/// <summary>One request the bot made to the Bot Connector.</summary>
public sealed record ConnectorCall(string Method, string ConversationId, string? ActivityId, JsonElement Body, string? Authorization)
{
    /// <summary>The Adaptive Card contents of the activity's attachments.</summary>
    public IReadOnlyList<JsonElement> Cards =>
        Body.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array
            ? [.. attachments.EnumerateArray()
                .Where(a => a.TryGetProperty("contentType", out var t) && t.GetString() == "application/vnd.microsoft.card.adaptive")
                .Select(a => a.GetProperty("content"))]
            : [];

    public string? Text => Body.TryGetProperty("text", out var text) ? text.GetString() : null;

    /// <summary>When the call arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks): rate measurements at the receiving end.</summary>
    public long ArrivedAt { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();
}

/// <summary>
/// A Bot Connector on loopback that records every call the bot makes (replies, sends, updates, new
/// conversations) so end-to-end tests can assert on what a Teams user would see.
/// </summary>
public sealed class FakeConnectorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorCall> _calls = new();
    private readonly ConcurrentQueue<long> _arrivals = new();
    private volatile Task _stall = Task.CompletedTask;
    private readonly SemaphoreSlim _arrived = new(0);
    private int _nextId;

    private FakeConnectorServer(WebApplication app) => _app = app;

    /// <summary>The serviceUrl to put in activities, with the trailing slash Teams uses.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    public IReadOnlyList<ConnectorCall> Calls => [.. _calls];

    /// <summary>
    /// When every request arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks), reads included, as Teams counts
    /// them against the tenant's limit: stamped as the request reaches the server's pipeline, before its body is read.
    /// </summary>
    public IReadOnlyList<long> Arrivals => [.. _arrivals];

    /// <summary>How long each send waits, after it is recorded, before it is answered.</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>Entra object ids of the people every team roster knows (GET members answers them; others get 404).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Roster { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Entra object ids of the people in one team's roster, by team id (GET pagedmembers of that team answers them as
    /// well as <see cref="Roster"/>); a test adds people to a team before or after the bot is added to it.
    /// </summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> Teams { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The Teams user id a roster gives a person: <c>29:…</c> as Teams does by default; the Agents Playground's are
    /// <c>user-id-N</c>.
    /// </summary>
    public Func<string, string> MemberIdOf { get; set; } = objectId => $"29:{objectId}";

    /// <summary>The people of <paramref name="teamId"/>'s roster (created empty on first use).</summary>
    public ConcurrentDictionary<string, bool> Team(string teamId) => Teams.GetOrAdd(teamId, _ => new(StringComparer.Ordinal));

    /// <summary>Status code for the next sends (e.g. 403 to simulate a user who blocked the bot).</summary>
    public HttpStatusCode SendStatus { get; set; } = HttpStatusCode.OK;

    /// <summary>
    /// Holds every request that comes in during the next <paramref name="length"/> in front of the server, as a stalled
    /// network or proxy does: they were sent on time, and all arrive together when it ends.
    /// </summary>
    public void Stall(TimeSpan length) => _stall = Task.Delay(length);

    public static async Task<FakeConnectorServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeConnectorServer(app);
        app.Use(async (context, next) =>
        {
            await server._stall.ConfigureAwait(false);
            server._arrivals.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
            await next(context).ConfigureAwait(false);
        });
        server.Map(app);
        await app.StartAsync().ConfigureAwait(false);
        server.ServiceUrl = new Uri(app.Urls.First() + "/");
        return server;
    }

    /// <summary>Waits until at least <paramref name="count"/> calls were recorded in total; fails after the timeout.</summary>
    public async Task<IReadOnlyList<ConnectorCall>> WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (_calls.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} connector calls, got {_calls.Count}.");
            }
        }

        return Calls;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _arrived.Dispose();
    }

    private void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v3/conversations/{conversationId}/activities", (string conversationId, HttpRequest request) => RecordAsync("POST", conversationId, null, request));
        routes.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", (string conversationId, string activityId, HttpRequest request) => RecordAsync("POST", conversationId, activityId, request));
        routes.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", (string conversationId, string activityId, HttpRequest request) => RecordAsync("PUT", conversationId, activityId, request));
        routes.MapGet("/v3/conversations/{conversationId}/members/{userId}", (string conversationId, string userId) =>
            Roster.ContainsKey(userId)
                ? Results.Json(new { id = $"29:{userId}", objectId = userId, name = userId })
                : Results.Json(new { error = new { code = "MemberNotFoundInConversation", message = "The member is not in the conversation." } }, statusCode: StatusCodes.Status404NotFound));
        routes.MapGet("/v3/conversations/{conversationId}/pagedmembers", (string conversationId) =>
            Results.Json(new
            {
                members = Roster.Keys.Concat(Teams.TryGetValue(conversationId, out var team) ? team.Keys : []).Distinct(StringComparer.Ordinal)
                    .Select(id => new { id = MemberIdOf(id), objectId = id, name = id }).ToArray(),
            }));
        routes.MapPost("/v3/conversations", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body).ConfigureAwait(false);
            Record(new ConnectorCall("CREATE", string.Empty, null, body, request.Headers.Authorization.ToString()));
            var member = body.GetProperty("members")[0].GetProperty("id").GetString();
            return Results.Json(new { id = $"a:personal-{member}" }, statusCode: StatusCodes.Status201Created);
        });
    }

    private async Task<IResult> RecordAsync(string method, string conversationId, string? activityId, HttpRequest request)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body).ConfigureAwait(false);

        // The answer is decided before the call is visible: a test that sees the call and then changes SendStatus for
        // the next sends must not change this one's answer.
        var status = SendStatus;
        Record(new ConnectorCall(method, conversationId, activityId, body, request.Headers.Authorization.ToString()));

        // Accepted (recorded) before the answer leaves: a sender that dies meanwhile never learns it was delivered.
        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay).ConfigureAwait(false);
        }

        if (status != HttpStatusCode.OK)
        {
            return Results.Json(new { error = new { code = "ConversationBlockedByUser", message = "blocked" } }, statusCode: (int)status);
        }

        return Results.Json(new { id = $"activity-{Interlocked.Increment(ref _nextId)}" });
    }

    private void Record(ConnectorCall call)
    {
        _calls.Enqueue(call);
        _arrived.Release();
    }
}
