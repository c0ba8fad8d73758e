using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Simulator;

/// <summary>Fault injection and latency, for resilience tests and benchmarks.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Every Nth request fails with <see cref="FailureStatus"/> (0 = never).</summary>
    public int FailEveryNthRequest { get; set; }

    /// <summary>429 (with Retry-After) or 503.</summary>
    public int FailureStatus { get; set; } = 429;

    /// <summary>Retry-After seconds sent with injected failures.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Added to every request, to emulate Graph's latency. Read per request, so a test may change it while serving.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// The clock <see cref="Latency"/> is waited on: a test's fake clock makes every Graph request last until the test
    /// moves it, so a scan's length in clock time no longer depends on the machine's speed.
    /// </summary>
    public TimeProvider LatencyClock { get; set; } = TimeProvider.System;

    /// <summary>Graph's published throttling limits, enforced when set (off by default).</summary>
    public GraphLimits? Limits { get; set; }

    /// <summary>The clock for credential dates written by addPassword.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}

/// <summary>Maps the Simulator's routes.</summary>
public static class SimulatorEndpoints
{
    /// <summary>
    /// Serves Graph v1.0 under <c>/v1.0</c>. Any bearer token or none is accepted: this is a simulator, and it must
    /// only ever listen on loopback.
    /// </summary>
    public static IEndpointConventionBuilder MapGraphSimulator(this IEndpointRouteBuilder endpoints, SimulatorTenant tenant, SimulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = options ?? new SimulatorOptions();
        var meter = settings.Limits is { } limits ? new GraphMeter(limits, settings.Time) : null;
        var dispatcher = new GraphDispatcher(tenant, settings.Time, meter);
        long counter = 0;
        // Not Graph: how many Graph requests were served, for benchmarks that run the Simulator in another process.
        endpoints.MapGet("/_simulator/stats", () => Results.Json(new Dictionary<string, long> { ["requests"] = tenant.HttpRequestCount, ["operations"] = tenant.RequestCount, ["lowPriorityRequests"] = tenant.LowPriorityRequestCount, ["throttled"] = meter?.Throttled ?? 0, ["resourceUnits"] = meter?.ResourceUnitsUsed ?? 0, ["keyCredentialRequests"] = meter?.KeyCredentialRequests ?? 0 }));
        // Not Graph either: renames every n-th application and service principal, for delta benchmarks.
        endpoints.MapPost("/_simulator/touch", (int every) =>
        {
            var touched = 0;
            foreach (var item in tenant.Applications.Concat(tenant.ServicePrincipals).Where((_, i) => every > 0 && i % every == 0).ToList())
            {
                touched += tenant.Modify(item.Id, o => o.DisplayName += " (changed)") ? 1 : 0;
            }

            return Results.Json(new Dictionary<string, int> { ["touched"] = touched });
        });
        // Not Graph: every delta link stops working (Graph's "resync required"), so the next scan is a full listing.
        endpoints.MapPost("/_simulator/expire-delta", () =>
        {
            tenant.ExpireDeltaTokens();
            return Results.NoContent();
        });
        // Not Graph: records that an App's credential signed in (for the usage reports), as a test or demo would.
        endpoints.MapPost("/_simulator/signins", (SimSignIn signIn) =>
        {
            if (string.IsNullOrWhiteSpace(signIn.AppId) || string.IsNullOrWhiteSpace(signIn.KeyId))
            {
                return Results.BadRequest("appId and keyId are required.");
            }

            tenant.SignIns.Record(signIn.AppId, signIn.KeyId, signIn.At ?? settings.Time.GetUtcNow());
            return Results.NoContent();
        });
        endpoints.Map("/beta/{**path}", context => ServeAsync(context, beta: true));
        return endpoints.Map("/v1.0/{**path}", context => ServeAsync(context, beta: false));

        async Task ServeAsync(HttpContext context, bool beta)
        {
            if (settings.Latency > TimeSpan.Zero)
            {
                await Task.Delay(settings.Latency, settings.LatencyClock, context.RequestAborted).ConfigureAwait(false);
            }

            tenant.CountHttpRequest();
            if (string.Equals(context.Request.Headers["x-ms-throttle-priority"], "low", StringComparison.OrdinalIgnoreCase))
            {
                tenant.CountLowPriority();
            }

            GraphResponse response;
            var n = Interlocked.Increment(ref counter);
            if (settings.FailEveryNthRequest > 0 && n % settings.FailEveryNthRequest == 0)
            {
                tenant.CountRequest();
                response = GraphDispatcher.Error(
                    settings.FailureStatus,
                    settings.FailureStatus == 429 ? "TooManyRequests" : "ServiceUnavailable",
                    "Injected failure.",
                    new Dictionary<string, string> { ["Retry-After"] = settings.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            else
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                var path = context.Request.RouteValues["path"] as string ?? string.Empty;
                var origin = $"{context.Request.Scheme}://{context.Request.Host}";
                response = dispatcher.Dispatch(context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty, buffer.Length == 0 ? null : buffer.ToArray(), origin, beta);
            }

            context.Response.StatusCode = response.Status;
            foreach (var header in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[header.Key] = header.Value;
            }

            if (response.Body is { } body)
            {
                context.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
                await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The Simulator on its own Kestrel, bound to 127.0.0.1 only.</summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The Graph base address, e.g. <c>http://127.0.0.1:5123/v1.0/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts serving <paramref name="tenant"/>; port 0 picks a free port.</summary>
    public static async Task<SimulatorServer> StartAsync(SimulatorTenant tenant, SimulatorOptions? options = null, int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGraphSimulator(tenant, options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new SimulatorServer(app, new Uri(app.Urls.First() + "/v1.0/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
