using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialBot.TestKit.Identity;

/// <summary>One client-credentials request as the token endpoint received it.</summary>
public sealed record TokenRequest(string Tenant, IReadOnlyDictionary<string, string> Form)
{
    public string? this[string name] => Form.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Entra ID's token service for apps, on HTTPS loopback (MSAL refuses http authorities): OpenID metadata, instance
/// discovery and <c>/{tenant}/oauth2/v2.0/token</c> for the client-credentials grant. It checks each request the way
/// Entra does for the app's registered credentials: the secret, a client assertion signed by a registered
/// certificate, or a federated assertion that the managed-identity endpoint issued. Tokens are opaque strings that
/// name the app and scope, so a test can see which one reached a service.
/// </summary>
public sealed class FakeEntraServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TokenRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<string, bool>> _federations = new(StringComparer.Ordinal);
    private int _issued;

    private FakeEntraServer(WebApplication app, X509Certificate2 tls)
    {
        _app = app;
        TlsCertificate = tls;
    }

    /// <summary>The authority host, e.g. <c>https://localhost:5123/</c>: use it as <c>AzureAd:Instance</c>.</summary>
    public Uri Instance { get; private set; } = null!;

    /// <summary>The server's TLS certificate; <see cref="LoopbackMsalHttpClientFactory"/> trusts exactly this one.</summary>
    public X509Certificate2 TlsCertificate { get; }

    public IReadOnlyList<TokenRequest> Requests => [.. _requests];

    /// <summary>Registers a client secret for an app.</summary>
    public void AddSecret(string clientId, string secret) => _secrets[clientId] = secret;

    /// <summary>Registers a certificate credential (its public key) for an app.</summary>
    public void AddCertificate(string clientId, X509Certificate2 certificate) => _certificates[clientId] = certificate;

    /// <summary>Registers a federated credential: the app trusts assertions the managed-identity endpoint issued for it.</summary>
    public void AddFederation(string clientId, Func<string, bool> isManagedIdentityToken) => _federations[clientId] = isManagedIdentityToken;

    public static async Task<FakeEntraServer> StartAsync()
    {
        var tls = TestCertificates.CreateTls();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseHttps(tls)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeEntraServer(app, tls);

        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = $"{server.Instance}{tenant}/v2.0",
            ["token_endpoint"] = $"{server.Instance}{tenant}/oauth2/v2.0/token",
            ["authorization_endpoint"] = $"{server.Instance}{tenant}/oauth2/v2.0/authorize",
            ["jwks_uri"] = $"{server.Instance}{tenant}/discovery/v2.0/keys",
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt" },
        }));
        // MSAL validates an authority it does not know by asking the authority's cloud which hosts belong to it.
        app.MapGet("/common/discovery/instance", () =>
        {
            var host = server.Instance.Authority;
            return Results.Json(new Dictionary<string, object>
            {
                ["tenant_discovery_endpoint"] = $"{server.Instance}common/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new[] { new Dictionary<string, object> { ["preferred_network"] = host, ["preferred_cache"] = host, ["aliases"] = new[] { host } } },
            });
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpContext context) =>
        {
            var form = (await context.Request.ReadFormAsync().ConfigureAwait(false)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            var request = new TokenRequest(tenant, form);
            server._requests.Enqueue(request);
            var refusal = await server.RefusalAsync(request).ConfigureAwait(false);
            if (refusal is not null)
            {
                return Results.Json(new { error = "invalid_client", error_description = refusal }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var n = Interlocked.Increment(ref server._issued);
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["ext_expires_in"] = 3600,
                ["access_token"] = $"entra-app-token:{request["client_id"]}:{request["scope"]}:{n}",
            });
        });

        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Urls.First());
        server.Instance = new Uri($"https://localhost:{address.Port}/");
        return server;
    }

    private async Task<string?> RefusalAsync(TokenRequest request)
    {
        if (request["grant_type"] != "client_credentials")
        {
            return "Only the client credentials grant is served here.";
        }

        var clientId = request["client_id"] ?? string.Empty;
        if (request["client_secret"] is { } secret)
        {
            return _secrets.TryGetValue(clientId, out var expected) && expected == secret ? null : "AADSTS7000215: Invalid client secret provided.";
        }

        if (request["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || request["client_assertion"] is not { } assertion)
        {
            return "AADSTS7000216: client_assertion or client_secret is required.";
        }

        if (_federations.TryGetValue(clientId, out var isManagedIdentityToken))
        {
            return isManagedIdentityToken(assertion) ? null : "AADSTS700213: No matching federated identity record found for presented assertion.";
        }

        return _certificates.TryGetValue(clientId, out var certificate)
            ? await CheckSignedAssertionAsync(assertion, clientId, certificate).ConfigureAwait(false)
            : "AADSTS700027: The certificate is not registered for this app.";
    }

    /// <summary>A client assertion must be a JWT from the app to this token endpoint, signed with its certificate.</summary>
    private async Task<string?> CheckSignedAssertionAsync(string assertion, string clientId, X509Certificate2 certificate)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = clientId,
            ValidateAudience = false,
            IssuerSigningKey = new X509SecurityKey(certificate),
            ValidateLifetime = true,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return "AADSTS700027: Client assertion failed signature validation. " + result.Exception?.Message;
        }

        var token = (JsonWebToken)result.SecurityToken;
        var audience = token.Audiences.FirstOrDefault() ?? string.Empty;
        return token.Subject == clientId && audience.StartsWith(Instance.ToString(), StringComparison.OrdinalIgnoreCase) ? null : "AADSTS700027: The assertion's subject or audience is wrong.";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        TlsCertificate.Dispose();
    }
}
