using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace CredentialBot.TestKit.Identity;

/// <summary>
/// The HTTP client MSAL uses in tests (registered as <see cref="IMsalHttpClientFactory"/>): it trusts the fake Entra
/// server's certificate and nothing else, and refuses every request that would leave the machine, recording it, so
/// a test can prove token acquisition stayed on loopback. One public request is answered locally: MSAL validates an
/// authority host it does not know by asking the public cloud's instance discovery (production's
/// login.microsoftonline.com is known, so it never asks); that question goes to the fake server instead.
/// </summary>
public sealed class LoopbackMsalHttpClientFactory : IMsalHttpClientFactory, IDisposable
{
    private readonly HttpClient _client;
    private readonly ConcurrentQueue<Uri> _refused = new();

    public LoopbackMsalHttpClientFactory(FakeEntraServer entra)
    {
        ArgumentNullException.ThrowIfNull(entra);
        var trusted = entra.TlsCertificate;
        var sockets = new SocketsHttpHandler();
        sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == trusted.GetCertHashString();
        _client = new HttpClient(new LoopbackOnly(sockets, _refused, entra.Instance));
    }

    /// <summary>Requests MSAL tried to send off this machine (none, in a passing test).</summary>
    public IReadOnlyList<Uri> Refused => [.. _refused];

    public HttpClient GetHttpClient() => _client;

    public void Dispose() => _client.Dispose();

    private sealed class LoopbackOnly(HttpMessageHandler inner, ConcurrentQueue<Uri> refused, Uri entra) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (uri.Host == "login.microsoftonline.com" && uri.AbsolutePath == "/common/discovery/instance")
            {
                request.RequestUri = uri = new UriBuilder(uri) { Scheme = entra.Scheme, Host = entra.Host, Port = entra.Port }.Uri;
            }

            if (uri.IsLoopback)
            {
                return base.SendAsync(request, cancellationToken);
            }

            refused.Enqueue(uri);
            throw new HttpRequestException($"Tests stay on loopback: refused {uri.GetLeftPart(UriPartial.Path)}.", null, HttpStatusCode.Forbidden);
        }
    }
}
