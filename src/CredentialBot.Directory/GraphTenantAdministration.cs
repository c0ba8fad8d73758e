using System.Text.Json;
using CredentialBot.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using DomainApp = CredentialBot.Domain.App;

namespace CredentialBot.Directory;

/// <summary>
/// Tenant changes through Microsoft Graph: addPassword/removePassword, <c>owners/$ref</c>, group membership and PIM
/// schedule requests. Only called after Domain authorized the change. Secret values pass through in memory only:
/// nothing here logs a request or response body.
/// </summary>
public sealed partial class GraphTenantAdministration(GraphServiceClient graph, TimeProvider time, ILogger<GraphTenantAdministration> logger) : ITenantAdministration
{
    /// <summary>
    /// How long the tenant's secret lifetime limit, once read, is used without reading it again. Rotate now reads it to
    /// open its form and again on submit, and each read is a Graph round trip while the person waits; the limit is a
    /// tenant-wide policy that changes rarely. A stale limit can never create a longer-lived secret: Entra applies the
    /// policy to addPassword itself, and a refused addPassword drops what was kept.
    /// </summary>
    public static readonly TimeSpan LifetimeLimitKeptFor = TimeSpan.FromMinutes(5);

    /// <summary>Reading an App for a card and adding a secret are requests a person initiated (x-ms-throttle-priority).</summary>
    private const string HighPriority = GraphTenantDirectory.HighPriority;

    private readonly ApplicationRegistrations _registrations = new(graph);
    private readonly CertificateCredentials _certificates = new(graph);
    private volatile KeptLimit? _lifetimeLimit;

    /// <summary>
    /// The App with no <c>$select</c>: its default projection carries <c>keyCredentials</c> without their <c>key</c>,
    /// and only a <c>$select</c> of <c>keyCredentials</c> falls under Graph's 150 requests per minute cap, so this read
    /// never waits in <see cref="KeyCredentialPacing"/> behind a scan. <c>$expand</c> returns at most 20 owners; an App
    /// with 20 gets the rest from <c>/owners</c>.
    /// </summary>
    public async Task<DomainApp?> GetAppAsync(AppKind kind, string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        var request = kind == AppKind.Application
            ? graph.Applications[objectId].ToGetRequestInformation(r =>
            {
                r.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, HighPriority);
                r.QueryParameters.Expand = [GraphTenantDirectory.OwnersExpand];
            })
            : graph.ServicePrincipals[objectId].ToGetRequestInformation(r =>
            {
                r.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, HighPriority);
                r.QueryParameters.Expand = [GraphTenantDirectory.OwnersExpand];
            });
        try
        {
            var stream = await graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, GraphTenantDirectory.ErrorMapping, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                return null;
            }

            (DomainApp App, bool OwnersCapped)? read;
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                read = GraphTenantDirectory.ReadListed(document.RootElement, kind);
            }

            if (read is not var (app, ownersCapped))
            {
                return null;
            }

            return ownersCapped ? app with { Owners = await GraphTenantDirectory.AllOwnersAsync(graph, kind, objectId, cancellationToken).ConfigureAwait(false) } : app;
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// addPassword answers with the new passwordCredential: "secretText", "keyId", "hint", "displayName",
    /// "startDateTime" and "endDateTime" (specs/graph-calls.md §2). All of it is returned, so the caller can show the
    /// secret and update the App's snapshot without reading the App again.
    /// </summary>
    public async Task<NewSecret> AddSecretAsync(AppKind kind, string objectId, string displayName, DateTimeOffset endsAt, CancellationToken cancellationToken = default)
    {
        var credential = new PasswordCredential { DisplayName = displayName, EndDateTime = endsAt };
        PasswordCredential? added;
        try
        {
            added = kind == AppKind.Application
                ? await graph.Applications[objectId].AddPassword.PostAsync(new() { PasswordCredential = credential }, r => r.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, HighPriority), cancellationToken).ConfigureAwait(false)
                : await graph.ServicePrincipals[objectId].AddPassword.PostAsync(new() { PasswordCredential = credential }, r => r.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, HighPriority), cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError)
        {
            // Entra may have refused the lifetime under a policy tightened since the limit was read: read it afresh.
            _lifetimeLimit = null;
            throw;
        }

        if (added?.SecretText is not { Length: > 0 } value || added.KeyId is not { } keyId)
        {
            throw new InvalidOperationException("Graph's addPassword answered without a secret.");
        }

        var id = keyId.ToString();
        LogSecretAdded(logger, objectId, id);
        return new NewSecret(id, value, added.Hint, added.EndDateTime ?? endsAt, added.DisplayName ?? displayName, added.StartDateTime);
    }

    public async Task<bool> RemoveSecretAsync(AppKind kind, string objectId, string keyId, CancellationToken cancellationToken = default)
    {
        // Graph types keyId as a GUID; an id that is not one cannot name a password credential.
        if (!Guid.TryParse(keyId, out var key))
        {
            return false;
        }

        try
        {
            if (kind == AppKind.Application)
            {
                await graph.Applications[objectId].RemovePassword.PostAsync(new() { KeyId = key }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await graph.ServicePrincipals[objectId].RemovePassword.PostAsync(new() { KeyId = key }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            LogSecretRemoved(logger, objectId, keyId);
            return true;
        }
        catch (ODataError error) when (error.ResponseStatusCode is 400 or 404)
        {
            // 400 "No password credential found with keyId": someone removed it already, in Entra or here.
            return false;
        }
    }

    public async Task AddEntraOwnerAsync(AppKind kind, string objectId, string personObjectId, CancellationToken cancellationToken = default)
    {
        var reference = new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{Uri.EscapeDataString(personObjectId)}" };
        if (kind == AppKind.Application)
        {
            await graph.Applications[objectId].Owners.Ref.PostAsync(reference, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await graph.ServicePrincipals[objectId].Owners.Ref.PostAsync(reference, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> RemoveEntraOwnerAsync(AppKind kind, string objectId, string personObjectId, CancellationToken cancellationToken = default)
    {
        try
        {
            if (kind == AppKind.Application)
            {
                await graph.Applications[objectId].Owners[personObjectId].Ref.DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await graph.ServicePrincipals[objectId].Owners[personObjectId].Ref.DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            return false;
        }
    }

    public async Task<bool> IsMemberOfAnyAsync(string personObjectId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        if (groupIds.Count == 0)
        {
            return false;
        }

        try
        {
            // checkMemberGroups is transitive: membership through nested groups counts.
            var result = await graph.Users[personObjectId].CheckMemberGroups
                .PostAsCheckMemberGroupsPostResponseAsync(new() { GroupIds = [.. groupIds] }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return result?.Value is { Count: > 0 };
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> ListUsersInGroupAsync(string groupId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var users = graph.Groups[groupId].TransitiveMembers.GraphUser;
        var ids = new List<string>();
        try
        {
            var page = await users.GetAsync(r => { r.QueryParameters.Select = ["id"]; r.QueryParameters.Top = Math.Min(max, 999); }, cancellationToken).ConfigureAwait(false);
            while (page is not null)
            {
                ids.AddRange(page.Value?.Select(u => u.Id).OfType<string>() ?? []);
                if (ids.Count >= max || page.OdataNextLink is not { Length: > 0 } next)
                {
                    break;
                }

                page = await users.WithUrl(next).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ODataError error) when (error.ResponseStatusCode == 404)
        {
            return [];
        }

        return [.. ids.Take(max)];
    }

    public async Task<string> AssignTimeBoundRoleAsync(string personObjectId, string roleDefinitionId, string appObjectId, DateTimeOffset startsAt, TimeSpan duration, string justification, string? ticket, CancellationToken cancellationToken = default)
    {
        var request = new UnifiedRoleAssignmentScheduleRequest
        {
            Action = UnifiedRoleScheduleRequestActions.AdminAssign,
            PrincipalId = personObjectId,
            RoleDefinitionId = roleDefinitionId,
            DirectoryScopeId = "/" + appObjectId,
            Justification = justification,
            TicketInfo = ticket is null ? null : new TicketInfo { TicketNumber = ticket, TicketSystem = "CredentialBot" },
            ScheduleInfo = new RequestSchedule
            {
                StartDateTime = startsAt,
                Expiration = new ExpirationPattern { Type = ExpirationPatternType.AfterDuration, Duration = duration },
            },
        };
        var created = await graph.RoleManagement.Directory.RoleAssignmentScheduleRequests.PostAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        return created?.Id ?? throw new InvalidOperationException("Graph did not return the schedule request's id.");
    }

    public async Task<TimeSpan?> GetSecretLifetimeLimitAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_lifetimeLimit is { } kept && now - kept.ReadAt < LifetimeLimitKeptFor)
        {
            return kept.Limit;
        }

        var limit = await ReadSecretLifetimeLimitAsync(cancellationToken).ConfigureAwait(false);
        _lifetimeLimit = new KeptLimit(limit, now);
        return limit;
    }

    private async Task<TimeSpan?> ReadSecretLifetimeLimitAsync(CancellationToken cancellationToken)
    {
        try
        {
            var policy = await graph.Policies.DefaultAppManagementPolicy.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (policy?.IsEnabled != true)
            {
                return null;
            }

            return policy.ApplicationRestrictions?.PasswordCredentials?
                .Where(r => r.RestrictionType == AppCredentialRestrictionType.PasswordLifetime && r.MaxLifetime is not null)
                .Select(r => r.MaxLifetime)
                .Min();
        }
        catch (ODataError error) when (error.ResponseStatusCode is 403 or 404)
        {
            // Without Policy.Read.ApplicationConfiguration the limit is unreadable; the policy's maximum still applies.
            return null;
        }
    }

    public async Task<DirectoryResult<CreatedApplication>> CreateApplicationAsync(NewApplication application, CancellationToken cancellationToken = default)
    {
        var result = await _registrations.CreateAsync(application, (id, ct) => GetAppAsync(AppKind.Application, id, ct), cancellationToken).ConfigureAwait(false);
        if (result.Value is { } created)
        {
            LogApplicationCreated(logger, created.App.ObjectId, created.App.AppId, created.NotDone.Count);
        }

        return result;
    }

    public async Task<DirectoryResult<Credential>> AddCertificateAsync(AppKind kind, string objectId, PublicCertificate certificate, string? displayName, CancellationToken cancellationToken = default)
    {
        var result = await _certificates.AddAsync(kind, objectId, certificate, displayName, cancellationToken).ConfigureAwait(false);
        if (result.Value is { } added)
        {
            LogCertificateAdded(logger, objectId, added.KeyId);
        }

        return result;
    }

    public async Task<DirectoryResult<Credential>> RemoveCertificateAsync(AppKind kind, string objectId, string keyId, CancellationToken cancellationToken = default)
    {
        var result = await _certificates.RemoveAsync(kind, objectId, keyId, cancellationToken).ConfigureAwait(false);
        if (result.Value is not null)
        {
            LogCertificateRemoved(logger, objectId, keyId);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created application {App} (appId {AppId}); {NotDone} later steps refused")]
    private static partial void LogApplicationCreated(ILogger logger, string app, string appId, int notDone);

    [LoggerMessage(Level = LogLevel.Information, Message = "Added certificate {KeyId} to {App}")]
    private static partial void LogCertificateAdded(ILogger logger, string app, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed certificate {KeyId} from {App}")]
    private static partial void LogCertificateRemoved(ILogger logger, string app, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Added secret {KeyId} to {App}")]
    private static partial void LogSecretAdded(ILogger logger, string app, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed secret {KeyId} from {App}")]
    private static partial void LogSecretRemoved(ILogger logger, string app, string keyId);

    /// <summary>The limit as read (null: none set, or unreadable) and when the read began.</summary>
    private sealed record KeptLimit(TimeSpan? Limit, DateTimeOffset ReadAt);
}
