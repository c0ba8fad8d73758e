using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CredentialBot.TestKit.KeyVault;

/// <summary>
/// A local Key Vault over HTTPS on loopback (a self-signed TLS certificate made for the test), with Key Vault's
/// challenge-based sign-in: the first request gets 401 and a challenge, the retry carries a bearer token. It serves what
/// the Azure SDK clients call: set-secret (<c>PUT /secrets/{name}</c>), and certificate creation under a policy
/// (<c>POST /certificates/{name}/create</c> → 202 and a pending operation, polled at <c>GET …/pending</c> until
/// <c>completed</c>), then <c>GET /certificates/{name}</c> with the public certificate (<c>cer</c>) and the tags it was
/// created with. Issued certificates'
/// private keys stay in here: no route returns one (there is no certificate-backed <c>GET /secrets/{name}</c>).
/// </summary>
public sealed partial class FakeKeyVault : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, PendingCertificate> _pending = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, List<IssuedCertificate>> _issued = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Private keys by certificate version: they stay here.</summary>
    private readonly ConcurrentDictionary<string, RSA> _keys = new(StringComparer.Ordinal);

    private FakeKeyVault(WebApplication app, X509Certificate2 certificate, TimeProvider time)
    {
        _app = app;
        _time = time;
        Certificate = certificate;
    }

    /// <summary>The TLS certificate the vault serves HTTPS with.</summary>
    public X509Certificate2 Certificate { get; }

    public Uri BaseAddress => new(_app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");

    /// <summary>Secrets as received: name → the request body (value, contentType, attributes, tags).</summary>
    public ConcurrentDictionary<string, JsonObject> Secrets { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Every request as "METHOD /path", in order (the challenge round trips included).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Every response body the vault sent, in order.</summary>
    public ConcurrentQueue<string> ResponseBodies { get; } = new();

    /// <summary>When set, every write (set-secret, create-certificate) fails with this status.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>Called as a set-secret request arrives, before it is stored (a test's way to stop the caller mid-write).</summary>
    public Action? OnSetSecret { get; set; }

    /// <summary>
    /// Called as a pending certificate is issued, after the vault holds it and before the poll is answered (a test's way
    /// to stop the caller between "the vault made it" and "the caller has it").
    /// </summary>
    public Action<IssuedCertificate>? OnCertificateIssued { get; set; }

    /// <summary>How many polls of a pending certificate answer <c>inProgress</c> before it is issued.</summary>
    public int PollsUntilIssued { get; set; } = 2;

    /// <summary>Versions issued for certificate <paramref name="name"/>, oldest first: public parts and the policy they were made under.</summary>
    public IReadOnlyList<IssuedCertificate> IssuedVersions(string name) =>
        _issued.TryGetValue(name, out var versions) ? [.. versions] : [];

    public static async Task<FakeKeyVault> StartAsync(TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        FakeKeyVault? vault = null;
        app.Use(async (context, next) =>
        {
            vault!.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000001\", resource=\"https://127.0.0.1\"";
                return;
            }

            vault.Authorizations.Enqueue(authorization);
            await next(context);
        });
        app.MapPut("/secrets/{name}", async (string name, HttpContext context) =>
        {
            vault!.OnSetSecret?.Invoke();
            if (vault.FailWith is { } failure)
            {
                return vault.Fail(failure);
            }

            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            vault.Secrets[name] = body;
            var version = Guid.NewGuid().ToString("N");
            var response = body.DeepClone().AsObject();
            response["id"] = $"{vault.BaseAddress}secrets/{name}/{version}";
            var attributes = response["attributes"] as JsonObject ?? [];
            attributes["enabled"] = true;
            attributes["created"] = vault._time.GetUtcNow().ToUnixTimeSeconds();
            attributes["updated"] = vault._time.GetUtcNow().ToUnixTimeSeconds();
            attributes["recoveryLevel"] = "Recoverable";
            response["attributes"] = attributes.DeepClone();
            return vault.Answer(200, response);
        });
        app.MapPost("/certificates/{name}/create", async (string name, HttpContext context) => vault!.Create(name, await JsonNode.ParseAsync(context.Request.Body)));
        app.MapGet("/certificates/{name}/pending", (string name) => vault!.Poll(name));
        app.MapGet("/certificates/{name}/{version?}", (string name, string? version) => vault!.Get(name, version));
        await app.StartAsync();
        vault = new FakeKeyVault(app, certificate, clock);
        return vault;
    }

    /// <summary>An HTTP handler that trusts only this vault's certificate.</summary>
    public HttpMessageHandler TrustingHandler() => new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.Thumbprint == Certificate.Thumbprint,
    };

    /// <summary>
    /// Test-only proof that the vault holds a private key for the latest version of <paramref name="name"/>: its PKCS#8
    /// export, so a test can search everything the vault sent for it. Null when no such certificate was issued.
    /// </summary>
    public byte[]? PrivateKeyOf(string name) =>
        _issued.TryGetValue(name, out var versions) && versions.Count > 0 && _keys.TryGetValue(versions[^1].Version, out var key) ? key.ExportPkcs8PrivateKey() : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>
    /// Starts issuing a certificate under the request's policy. Key Vault's policy fields: <c>key_props</c> (kty, key_size,
    /// exportable, reuse_key), <c>x509_props</c> (subject, validity_months), <c>issuer.name</c>; only the self issuer and
    /// RSA keys are served here.
    /// </summary>
    private JsonAnswer Create(string name, JsonNode? body)
    {
        if (FailWith is { } failure)
        {
            return Fail(failure);
        }

        if (!CertificateName().IsMatch(name))
        {
            return Error(400, "BadParameter", $"The request URI contains an invalid name: {name}");
        }

        var policy = body?["policy"];
        var kty = (string?)policy?["key_props"]?["kty"] ?? "RSA";
        var keySize = (int?)policy?["key_props"]?["key_size"] ?? 2048;
        var exportable = (bool?)policy?["key_props"]?["exportable"] ?? true;
        var subject = (string?)policy?["x509_props"]?["subject"];
        var months = (int?)policy?["x509_props"]?["validity_months"] ?? 12;
        var issuer = (string?)policy?["issuer"]?["name"] ?? "Unknown";
        if (kty is not ("RSA" or "RSA-HSM"))
        {
            return Error(400, "BadParameter", $"This fake vault issues RSA keys only, not '{kty}'.");
        }

        if (keySize is not (2048 or 3072 or 4096))
        {
            return Error(400, "BadParameter", $"Invalid key size {keySize} for RSA: 2048, 3072 or 4096.");
        }

        if (string.IsNullOrWhiteSpace(subject))
        {
            return Error(400, "BadParameter", "Policy x509_props.subject is required.");
        }

        if (months < 1)
        {
            return Error(400, "BadParameter", "Policy x509_props.validity_months must be positive.");
        }

        if (!string.Equals(issuer, "Self", StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "BadParameter", $"This fake vault is its own issuer only ('Self'), not '{issuer}'.");
        }

        var tags = (body?["tags"] as JsonObject)?.ToDictionary(t => t.Key, t => (string?)t.Value ?? string.Empty, StringComparer.Ordinal) ?? [];
        var pending = new PendingCertificate(name, subject, keySize, months, exportable, PollsUntilIssued, Guid.NewGuid().ToString("N"), tags);
        if (!_pending.TryAdd(name, pending))
        {
            if (_pending[name].Status == "inProgress")
            {
                return Error(409, "Conflict", $"There is already a certificate operation in progress for '{name}'.");
            }

            _pending[name] = pending;
        }

        return Answer(202, OperationJson(pending), retryAfter: true, new Uri(BaseAddress, $"certificates/{name}/pending"));
    }

    private JsonAnswer Poll(string name)
    {
        if (!_pending.TryGetValue(name, out var pending))
        {
            return Error(404, "PendingCertificateNotFound", $"Pending certificate not found: {name}");
        }

        bool announce;
        lock (pending)
        {
            if (pending.Status == "inProgress")
            {
                if (pending.PollsLeft > 0)
                {
                    pending.PollsLeft--;
                }
                else
                {
                    Issue(pending);
                    pending.Status = "completed";
                }
            }

            announce = pending.Status == "completed" && !pending.Announced;
            pending.Announced |= announce;
        }

        if (announce)
        {
            OnCertificateIssued?.Invoke(IssuedVersions(name)[^1]);
        }

        return Answer(200, OperationJson(pending), retryAfter: true);
    }

    private void Issue(PendingCertificate pending)
    {
        var key = RSA.Create(pending.KeySize);
        var request = new CertificateRequest(pending.Subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
        var now = _time.GetUtcNow();
        // Whole seconds, as Key Vault's attributes (Unix seconds) carry them.
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        using var certificate = request.CreateSelfSigned(notBefore, notBefore.AddMonths(pending.ValidityMonths));
        var issued = new IssuedCertificate(pending.Name, pending.Version, certificate.Export(X509ContentType.Cert), certificate.Thumbprint, pending.Subject, pending.KeySize, pending.ValidityMonths, pending.Exportable, notBefore, notBefore.AddMonths(pending.ValidityMonths), pending.Tags);
        _keys[pending.Version] = key;
        _issued.AddOrUpdate(pending.Name, _ => [issued], (_, versions) => [.. versions, issued]);
    }

    private JsonAnswer Get(string name, string? version)
    {
        var versions = IssuedVersions(name);
        var issued = string.IsNullOrEmpty(version) ? (versions.Count > 0 ? versions[^1] : null) : versions.FirstOrDefault(v => v.Version == version);
        if (issued is null)
        {
            return Error(404, "CertificateNotFound", $"A certificate with (name/id) {name} was not found in this key vault.");
        }

        var id = $"{BaseAddress}certificates/{name}/{issued.Version}";
        var body = new JsonObject
        {
            ["id"] = id,
            ["kid"] = $"{BaseAddress}keys/{name}/{issued.Version}",
            ["sid"] = $"{BaseAddress}secrets/{name}/{issued.Version}",
            ["x5t"] = Base64Url(Convert.FromHexString(issued.Thumbprint)),
            ["cer"] = Convert.ToBase64String(issued.Cer),
            ["attributes"] = new JsonObject
            {
                ["enabled"] = true,
                ["nbf"] = issued.NotBefore.ToUnixTimeSeconds(),
                ["exp"] = issued.NotAfter.ToUnixTimeSeconds(),
                ["created"] = issued.NotBefore.ToUnixTimeSeconds(),
                ["updated"] = issued.NotBefore.ToUnixTimeSeconds(),
                ["recoveryLevel"] = "Recoverable+Purgeable",
                ["recoverableDays"] = 90,
            },
            ["policy"] = PolicyJson(name, issued.Subject, issued.KeySize, issued.ValidityMonths, issued.Exportable),
            ["tags"] = new JsonObject([.. (issued.Tags ?? new Dictionary<string, string>()).Select(t => KeyValuePair.Create(t.Key, (JsonNode?)JsonValue.Create(t.Value)))]),
        };
        return Answer(200, body);
    }

    private JsonObject OperationJson(PendingCertificate pending)
    {
        var body = new JsonObject
        {
            ["id"] = $"{BaseAddress}certificates/{pending.Name}/pending",
            ["issuer"] = new JsonObject { ["name"] = "Self" },
            ["cancellation_requested"] = false,
            ["status"] = pending.Status,
            ["request_id"] = pending.Version,
        };
        if (pending.Status == "completed")
        {
            body["status_details"] = "The certificate has been issued.";
            body["target"] = $"{BaseAddress}certificates/{pending.Name}";
        }

        return body;
    }

    private JsonObject PolicyJson(string name, string subject, int keySize, int months, bool exportable) => new()
    {
        ["id"] = $"{BaseAddress}certificates/{name}/policy",
        ["key_props"] = new JsonObject { ["exportable"] = exportable, ["kty"] = "RSA", ["key_size"] = keySize, ["reuse_key"] = false },
        ["secret_props"] = new JsonObject { ["contentType"] = "application/x-pkcs12" },
        ["x509_props"] = new JsonObject { ["subject"] = subject, ["validity_months"] = months },
        ["issuer"] = new JsonObject { ["name"] = "Self" },
    };

    private JsonAnswer Fail(HttpStatusCode failure) =>
        Error((int)failure, failure == HttpStatusCode.Forbidden ? "Forbidden" : failure.ToString(), failure == HttpStatusCode.Forbidden ? "The user, group or application does not have the permission needed on this key vault." : "Injected failure.");

    private JsonAnswer Error(int status, string code, string message) =>
        Answer(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private JsonAnswer Answer(int status, JsonObject body, bool retryAfter = false, Uri? location = null)
    {
        var text = body.ToJsonString();
        ResponseBodies.Enqueue(text);
        return new JsonAnswer(status, text, retryAfter, location);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex CertificateName();

    /// <summary>A JSON answer with a status, and for an operation "poll again now" (Retry-After: 0) and its Location.</summary>
    private sealed class JsonAnswer(int status, string body, bool retryAfter, Uri? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location.ToString();
            }

            if (retryAfter)
            {
                httpContext.Response.Headers.RetryAfter = "0";
            }

            return httpContext.Response.WriteAsync(body);
        }
    }

    private sealed class PendingCertificate(string name, string subject, int keySize, int validityMonths, bool exportable, int pollsLeft, string version, IReadOnlyDictionary<string, string> tags)
    {
        public IReadOnlyDictionary<string, string> Tags { get; } = tags;

        /// <summary>Whether <see cref="OnCertificateIssued"/> was called for it.</summary>
        public bool Announced { get; set; }

        public string Name { get; } = name;

        public string Subject { get; } = subject;

        public int KeySize { get; } = keySize;

        public int ValidityMonths { get; } = validityMonths;

        public bool Exportable { get; } = exportable;

        public string Version { get; } = version;

        public int PollsLeft { get; set; } = pollsLeft;

        public string Status { get; set; } = "inProgress";
    }
}
