using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Directory.Tests.AppIdentity;

/// <summary>A Graph endpoint on loopback that records the Authorization header of every request and lists no apps.</summary>
internal sealed class RecordingGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _authorizations = new();

    private RecordingGraph(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = null!;

    public IReadOnlyList<string> Authorizations => [.. _authorizations];

    public static async Task<RecordingGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var graph = new RecordingGraph(app);
        app.Map("/v1.0/{**path}", (HttpContext context) =>
        {
            graph._authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            return Results.Json(new Dictionary<string, object> { ["value"] = Array.Empty<object>() });
        });
        await app.StartAsync();
        graph.BaseUrl = app.Urls.First() + "/v1.0";
        return graph;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
