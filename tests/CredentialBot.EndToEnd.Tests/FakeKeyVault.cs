using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Key Vault's set-secret call over HTTPS on loopback (a self-signed certificate made for the test), with its
/// challenge-based sign-in: the first request gets 401 and a challenge, the retry carries a bearer token.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKeyVault(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public Uri BaseAddress => new(_app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");

    /// <summary>Secrets as received: name → the request body (value, contentType, attributes, tags).</summary>
    public ConcurrentDictionary<string, JsonObject> Secrets { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>When set, every write fails with this status.</summary>
    public HttpStatusCode? FailWith { get; set; }

    public static async Task<FakeKeyVault> StartAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        FakeKeyVault? vault = null;
        app.MapPut("/secrets/{name}", async (string name, HttpContext context) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000001\", resource=\"https://127.0.0.1\"";
                return Results.StatusCode(401);
            }

            vault!.Authorizations.Enqueue(authorization);
            if (vault.FailWith is { } failure)
            {
                return Results.Json(new { error = new { code = "Forbidden", message = "Access denied" } }, statusCode: (int)failure);
            }

            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            vault.Secrets[name] = body;
            var version = Guid.NewGuid().ToString("N");
            var response = body.DeepClone().AsObject();
            response["id"] = $"{vault.BaseAddress}secrets/{name}/{version}";
            var attributes = response["attributes"] as JsonObject ?? [];
            attributes["enabled"] = true;
            attributes["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            attributes["updated"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            attributes["recoveryLevel"] = "Recoverable";
            response["attributes"] = attributes.DeepClone();
            return Results.Text(response.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        vault = new FakeKeyVault(app, certificate);
        return vault;
    }

    /// <summary>An HTTP handler that trusts only this vault's certificate.</summary>
    public HttpMessageHandler TrustingHandler() => new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.Thumbprint == Certificate.Thumbprint,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
