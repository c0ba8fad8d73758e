using CredentialBot.BotFramework.Routing;
using CredentialBot.Domain;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CredentialBot.Actions;

/// <summary>
/// Turns the authenticated actor into a <see cref="Principal"/> (admin by configuration or group membership, cached)
/// and asks Domain's <see cref="Authorizer"/> with the person's grants from the store. Every refusal is audited here,
/// so no handler can forget to.
/// </summary>
public sealed partial class AccessControl(
    IOptions<AuthorizationOptions> options,
    ITenantAdministration administration,
    IMemoryCache cache,
    GrantStore grants,
    AuditLog audit,
    TimeProvider time,
    ILogger<AccessControl> logger)
{
    public async Task<Principal> PrincipalOfAsync(Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.ObjectId is not { Length: > 0 } id)
        {
            return new Principal(string.Empty, actor.DisplayName, IsAdmin: false);
        }

        return new Principal(id, actor.DisplayName, await IsAdminAsync(id, cancellationToken).ConfigureAwait(false));
    }

    public async Task<bool> IsAdminAsync(string objectId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.AdminObjectIds.Contains(objectId, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (settings.AdminGroupIds.Count == 0)
        {
            return false;
        }

        var key = "admin:" + objectId;
        if (cache.TryGetValue(key, out bool known))
        {
            return known;
        }

        try
        {
            var member = await administration.IsMemberOfAnyAsync(objectId, [.. settings.AdminGroupIds], cancellationToken).ConfigureAwait(false);
            cache.Set(key, member, settings.AdminCacheDuration);
            return member;
        }
        catch (Exception ex) when (ex is HttpRequestException or Microsoft.Graph.Models.ODataErrors.ODataError)
        {
            // Failing closed: without an answer from Graph nobody is an admin by group, and nothing is cached.
            LogAdminCheckFailed(logger, ex);
            return false;
        }
    }

    /// <summary>Decides; a refusal is written to the audit trail with the operation named.</summary>
    public async Task<Decision> DecideAsync(Principal who, App app, AppRight right, string operation, CancellationToken cancellationToken)
    {
        var decision = await MayAsync(who, app, right, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await RefusedAsync(who, app.ObjectId, operation, decision.Explanation, null, cancellationToken).ConfigureAwait(false);
        }

        return decision;
    }

    /// <summary>Decides without auditing: for choosing which buttons a card shows, never for acting.</summary>
    public async Task<Decision> MayAsync(Principal who, App app, AppRight right, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(app);
        var now = time.GetUtcNow();
        var current = who.ObjectId.Length == 0 ? [] : await grants.CurrentForAsync(who.ObjectId, app.ObjectId, now, cancellationToken).ConfigureAwait(false);
        return Authorizer.Decide(who, app, right, current, now);
    }

    public Task<long> RefusedAsync(Principal who, string? appObjectId, string operation, string reason, string? ticket, CancellationToken cancellationToken) =>
        AuditAsync(who, appObjectId, operation, "Refused", reason, ticket, cancellationToken);

    public Task<long> AuditAsync(Principal who, string? appObjectId, string operation, string outcome, string? reason, string? ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        return audit.AppendAsync(new AuditEvent(who.ObjectId.Length > 0 ? who.ObjectId : "unknown", who.DisplayName, appObjectId, operation, outcome, reason, ticket, time.GetUtcNow()), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check admin group membership; treating the person as not an admin")]
    private static partial void LogAdminCheckFailed(ILogger logger, Exception exception);
}

/// <summary>Operation names in the audit trail.</summary>
public static class AuditOperations
{
    public const string RotateSecret = "RotateSecret";
    public const string RemoveOldSecret = "RemoveOldSecret";
    public const string CancelSecretRemoval = "CancelSecretRemoval";
    public const string RequestElevation = "RequestElevation";
    public const string DecideRequest = "DecideRequest";
    public const string GrantEnded = "GrantEnded";
    public const string PimAssignment = "PimAssignment";
    public const string AddOwner = "AddOwner";
    public const string TransferOwnership = "TransferOwnership";
    public const string RemoveOwner = "RemoveOwner";
    public const string RequestOwnerChange = "RequestOwnerChange";
    public const string RequestExpired = "RequestExpired";
    public const string ViewAudit = "ViewAudit";
}
