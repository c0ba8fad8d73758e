using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Bench;

/// <summary>
/// A Bot Connector that takes every reply, card update and new conversation at once and counts them: the host's replies
/// to a message go here, so a message's answer time includes sending its reply, as in Teams.
/// </summary>
internal sealed class BenchConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _repliedTo = new(StringComparer.Ordinal);
    private long _sends;
    private long _updates;

    private BenchConnector(WebApplication app) => _app = app;

    public Uri ServiceUrl { get; private set; } = null!;

    public long Sends => Interlocked.Read(ref _sends);

    public long Updates => Interlocked.Read(ref _updates);

    /// <summary>Replies, sends and updates together: every request the host made to this Connector, as Teams counts them.</summary>
    public long Requests => Sends + Updates;

    /// <summary>Whether a reply to activity <paramref name="activityId"/> arrived (and forgets it).</summary>
    public bool TakeReplyTo(string activityId) => _repliedTo.TryRemove(activityId, out _);

    public static async Task<BenchConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connector = new BenchConnector(app);
        app.MapPost("/v3/conversations/{conversation}/activities", () =>
        {
            Interlocked.Increment(ref connector._sends);
            return Results.Json(new { id = Guid.NewGuid().ToString("N") }, statusCode: 201);
        });
        app.MapPost("/v3/conversations/{conversation}/activities/{activity}", (string activity) =>
        {
            Interlocked.Increment(ref connector._sends);
            connector._repliedTo[activity] = true;
            return Results.Json(new { id = Guid.NewGuid().ToString("N") }, statusCode: 201);
        });
        app.MapPut("/v3/conversations/{conversation}/activities/{activity}", (string activity) =>
        {
            Interlocked.Increment(ref connector._updates);
            return Results.Json(new { id = activity });
        });
        app.MapPost("/v3/conversations", () => Results.Json(new { id = "a:" + Guid.NewGuid().ToString("N") }, statusCode: 201));
        app.MapGet("/v3/conversations/{conversation}/pagedmembers", () => Results.Json(new { members = Array.Empty<object>() }));
        await app.StartAsync();
        connector.ServiceUrl = new Uri(app.Urls.First() + "/");
        return connector;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
