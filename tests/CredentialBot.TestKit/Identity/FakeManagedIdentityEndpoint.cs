using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CredentialBot.TestKit.Identity;

/// <summary>One managed-identity token request: the resource, the user-assigned identity's client id, the header secret.</summary>
public sealed record ManagedIdentityRequest(string? Resource, string? ClientId, string? ApiVersion, string? IdentityHeader);

/// <summary>
/// The managed-identity endpoint App Service and Container Apps give a process, on http loopback. MSAL finds it
/// through the <c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c> environment variables, which
/// <see cref="StartAsync"/> sets for this process: one endpoint per test process, shared (see
/// <see cref="SharedAsync"/>). MSAL caches managed-identity tokens process-wide, so tests use a fresh client id each.
/// </summary>
public sealed class FakeManagedIdentityEndpoint
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static FakeManagedIdentityEndpoint? _shared;
    private readonly ConcurrentQueue<ManagedIdentityRequest> _requests = new();
    private int _issued;

    private FakeManagedIdentityEndpoint(string header) => Header = header;

    /// <summary>The secret App Service puts in <c>IDENTITY_HEADER</c>; a request without it is refused.</summary>
    public string Header { get; }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ManagedIdentityRequest> Requests => [.. _requests];

    /// <summary>Requests for one identity (tests use a fresh client id each, so this is theirs alone).</summary>
    public IReadOnlyList<ManagedIdentityRequest> RequestsFor(string clientId) => [.. _requests.Where(r => r.ClientId == clientId)];

    /// <summary>The token this endpoint issued for that identity and resource (the n-th, from 1), as a federated assertion would carry it.</summary>
    public static bool IsTokenFor(string token, string clientId, string resource) =>
        token.StartsWith($"managed-identity-token:{clientId}:{resource}:", StringComparison.Ordinal);

    /// <summary>The endpoint of this test process, started on first use.</summary>
    public static async Task<FakeManagedIdentityEndpoint> SharedAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return _shared ??= await StartAsync().ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<FakeManagedIdentityEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new FakeManagedIdentityEndpoint(Guid.NewGuid().ToString("N"));
        app.MapGet("/msi/token", (HttpContext context) =>
        {
            var query = context.Request.Query;
            var request = new ManagedIdentityRequest(query["resource"], query["client_id"], query["api-version"], context.Request.Headers["X-IDENTITY-HEADER"]);
            endpoint._requests.Enqueue(request);
            if (request.IdentityHeader != endpoint.Header)
            {
                return Results.Json(new { statusCode = 401, message = "The X-IDENTITY-HEADER is missing or wrong." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (string.IsNullOrEmpty(request.Resource) || string.IsNullOrEmpty(request.ClientId))
            {
                return Results.Json(new { statusCode = 400, message = "resource and client_id are required here (a user-assigned identity)." }, statusCode: StatusCodes.Status400BadRequest);
            }

            var n = Interlocked.Increment(ref endpoint._issued);
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = $"managed-identity-token:{request.ClientId}:{request.Resource}:{n}",
                ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["resource"] = request.Resource,
                ["token_type"] = "Bearer",
                ["client_id"] = request.ClientId,
            });
        });
        await app.StartAsync().ConfigureAwait(false);
        endpoint.Endpoint = new Uri(app.Urls.First() + "/msi/token");
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", endpoint.Endpoint.ToString());
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", endpoint.Header);
        return endpoint;
    }
}
