using System.Collections.Concurrent;
using CredentialBot.Domain;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Directory;

/// <summary>
/// Certificates added to and removed from an App's <c>keyCredentials</c> by <c>PATCH</c> of the whole collection.
/// <para>
/// Why PATCH: <c>addKey</c> needs a proof of possession — a JWT signed with the private key of one of the App's existing
/// valid certificates — and "Applications that don't have any existing valid certificates … won't be able to use this
/// service action. You can use the Update application operation to perform an update instead"
/// (learn.microsoft.com/graph/api/application-addkey). CredentialBot never holds an App's private keys, so it updates.
/// </para>
/// <para>
/// Why the existing keys are read first: "Because this a PATCH call, which by protocol replaces the contents of the
/// property with the new values, including only the new certificate will replace the existing certificates with the new
/// one" (learn.microsoft.com/graph/applications-how-to-add-certificate). Each existing entry must go back with its
/// <c>key</c>, which Graph returns only under <c>$select=keyCredentials</c> — the request capped at 150 per minute per
/// tenant. The read is sent as a person's request (high priority, never low), so <see cref="KeyCredentialPacing"/> admits
/// it from the interactive reserve of <see cref="KeyCredentialBudget"/>, ahead of any scan; the PATCH itself is not capped.
/// </para>
/// Graph offers no concurrency token on applications, so two changes to one App's certificates are serialized here; two
/// instances of the bot changing the same App's certificates at the same instant could still lose one (see the report).
/// </summary>
internal sealed class CertificateCredentials(GraphServiceClient graph)
{
    /// <summary>Least privilege for changing an App's credentials: the bot owns the App, or holds the tenant-wide permission.</summary>
    internal const string WritePermission = "Application.ReadWrite.OwnedBy (with CredentialBot an owner of the app) or Application.ReadWrite.All";

    private const string AsymmetricX509Cert = "AsymmetricX509Cert";
    private const string Verify = "Verify";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _appLocks = new(StringComparer.OrdinalIgnoreCase);

    public async Task<DirectoryResult<Credential>> AddAsync(AppKind kind, string objectId, PublicCertificate certificate, string? displayName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        ArgumentNullException.ThrowIfNull(certificate);
        if (PublicCertificates.TryRead(certificate.Der.Span) is not { } parsed)
        {
            return Refused(DirectoryRefusalKind.Invalid, "That is not a public X.509 certificate (a .cer file's contents).");
        }

        return await UnderAppLockAsync(objectId, async () =>
        {
            var (existing, refusal) = await ReadKeysAsync(kind, objectId, "read the app's certificates", cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return new DirectoryResult<Credential>(refusal);
            }

            var keys = existing!;
            var der = parsed.Der.ToArray();
            if (keys.FirstOrDefault(k => k.Key is { } key && key.AsSpan().SequenceEqual(der)) is { } same)
            {
                // A second click, or the same file uploaded twice: the App already trusts this certificate.
                return Refused(DirectoryRefusalKind.Invalid, $"This certificate ({parsed.Thumbprint}) is already on the app, as key {same.KeyId}.");
            }

            var added = new KeyCredential
            {
                KeyId = Guid.NewGuid(),
                Type = AsymmetricX509Cert,
                Usage = Verify,
                Key = der,
                DisplayName = string.IsNullOrWhiteSpace(displayName) ? parsed.Subject : displayName.Trim(),
                StartDateTime = parsed.NotBefore,
                EndDateTime = parsed.NotAfter,
                // "The customKeyIdentifier is the certificate thumbprint" (the same how-to); Graph types it as binary, and the
                // thumbprint's 40 hex digits are sent as the base64 text they already are, which is how Entra shows it.
                CustomKeyIdentifier = Convert.FromBase64String(parsed.Thumbprint),
            };
            var failure = await PatchAsync(kind, objectId, [.. keys, added], "add the certificate", cancellationToken).ConfigureAwait(false);
            return failure is not null
                ? new DirectoryResult<Credential>(failure)
                : new DirectoryResult<Credential>(new Credential(added.KeyId.Value.ToString(), CredentialKind.Certificate, added.DisplayName, parsed.NotBefore, parsed.NotAfter));
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DirectoryResult<Credential>> RemoveAsync(AppKind kind, string objectId, string keyId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        return await UnderAppLockAsync(objectId, async () =>
        {
            var (existing, refusal) = await ReadKeysAsync(kind, objectId, "read the app's certificates", cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return new DirectoryResult<Credential>(refusal);
            }

            var keys = existing!;
            var removed = keys.FirstOrDefault(k => string.Equals(k.KeyId?.ToString(), keyId, StringComparison.OrdinalIgnoreCase));
            if (removed is null)
            {
                return Refused(DirectoryRefusalKind.NotFound, $"The app has no certificate with key id {keyId} (any more).");
            }

            var failure = await PatchAsync(kind, objectId, [.. keys.Where(k => !ReferenceEquals(k, removed))], "remove the certificate", cancellationToken).ConfigureAwait(false);
            return failure is not null
                ? new DirectoryResult<Credential>(failure)
                : new DirectoryResult<Credential>(new Credential(keyId, CredentialKind.Certificate, removed.DisplayName, removed.StartDateTime, removed.EndDateTime ?? DateTimeOffset.MinValue));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The App's key credentials with their keys: <c>$select=id,keyCredentials</c> at high priority. An enterprise app with
    /// signing keys (a SAML app's token-signing certificate) is refused: its private signing key is not readable, so it
    /// could not be sent back, and Entra manages those certificates itself.
    /// </summary>
    private async Task<(List<KeyCredential>? Keys, DirectoryRefusal? Refusal)> ReadKeysAsync(AppKind kind, string objectId, string what, CancellationToken cancellationToken)
    {
        List<KeyCredential>? keys;
        try
        {
            keys = kind == AppKind.Application
                ? (await graph.Applications[objectId].GetAsync(Select, cancellationToken).ConfigureAwait(false))?.KeyCredentials
                : (await graph.ServicePrincipals[objectId].GetAsync(Select, cancellationToken).ConfigureAwait(false))?.KeyCredentials;
        }
        catch (ODataError error)
        {
            return (null, GraphRefusals.From(error, what, WritePermission));
        }

        keys ??= [];
        if (kind == AppKind.ServicePrincipal && keys.Any(k => string.Equals(k.Usage, "Sign", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, new DirectoryRefusal(DirectoryRefusalKind.Invalid, "This enterprise application signs tokens with a certificate Entra manages (SAML single sign-on); change its certificates in the Entra admin center."));
        }

        if (keys.Any(k => k.Key is not { Length: > 0 }))
        {
            return (null, GraphRefusals.Unavailable(what, "Graph returned certificates without their keys, so they could not be kept"));
        }

        return (keys, null);
    }

    private static void Select(Microsoft.Kiota.Abstractions.RequestConfiguration<Microsoft.Graph.Applications.Item.ApplicationItemRequestBuilder.ApplicationItemRequestBuilderGetQueryParameters> request)
    {
        request.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, GraphTenantDirectory.HighPriority);
        request.QueryParameters.Select = ["id", "keyCredentials"];
    }

    private static void Select(Microsoft.Kiota.Abstractions.RequestConfiguration<Microsoft.Graph.ServicePrincipals.Item.ServicePrincipalItemRequestBuilder.ServicePrincipalItemRequestBuilderGetQueryParameters> request)
    {
        request.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, GraphTenantDirectory.HighPriority);
        request.QueryParameters.Select = ["id", "keyCredentials"];
    }

    private async Task<DirectoryRefusal?> PatchAsync(AppKind kind, string objectId, List<KeyCredential> keys, string what, CancellationToken cancellationToken)
    {
        try
        {
            if (kind == AppKind.Application)
            {
                await graph.Applications[objectId].PatchAsync(new Application { KeyCredentials = keys }, GraphRequests.HighPriority, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await graph.ServicePrincipals[objectId].PatchAsync(new ServicePrincipal { KeyCredentials = keys }, GraphRequests.HighPriority, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }
        catch (ODataError error)
        {
            return GraphRefusals.From(error, what, WritePermission);
        }
    }


    private async Task<T> UnderAppLockAsync<T>(string objectId, Func<Task<T>> change, CancellationToken cancellationToken)
    {
        var gate = _appLocks.GetOrAdd(objectId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await change().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static DirectoryResult<Credential> Refused(DirectoryRefusalKind kind, string reason) => new(new DirectoryRefusal(kind, reason));
}
