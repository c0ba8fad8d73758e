using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CredentialBot.TestKit.Auth;

/// <summary>
/// The Bot Framework OpenID metadata and JWKS, served on loopback with test keys (and their endorsements),
/// so end-to-end tests run the real validation path. Keys can be added to simulate rollover; hits are counted.
/// </summary>
public sealed class LocalOpenIdMetadataServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TestSigningKey> _keys = new();
    private int _metadataHits;
    private int _keyHits;
    private int _disposed;

    private LocalOpenIdMetadataServer(WebApplication app) => _app = app;

    public Uri MetadataUrl { get; private set; } = null!;

    public int MetadataHits => Volatile.Read(ref _metadataHits);

    public int KeyHits => Volatile.Read(ref _keyHits);

    public static async Task<LocalOpenIdMetadataServer> StartAsync(params TestSigningKey[] keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LocalOpenIdMetadataServer(app);
        foreach (var key in keys)
        {
            server.Publish(key);
        }

        app.MapGet("/v1/.well-known/openidconfiguration", (HttpContext context) =>
        {
            Interlocked.Increment(ref server._metadataHits);
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = "https://api.botframework.com",
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = $"{origin}/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
            });
        });
        app.MapGet("/v1/.well-known/keys", () =>
        {
            Interlocked.Increment(ref server._keyHits);
            return Results.Json(new { keys = server._keys.Values.Select(k => k.ToPublicJwk()).ToArray() });
        });

        await app.StartAsync().ConfigureAwait(false);
        server.MetadataUrl = new Uri(app.Urls.First() + "/v1/.well-known/openidconfiguration");
        return server;
    }

    /// <summary>Adds a key to the JWKS (key rollover).</summary>
    public void Publish(TestSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _keys[key.KeyId] = key;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
