using CredentialBot.BotFramework.Routing;
using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Access;

/// <summary>
/// Turns the authenticated actor into a <see cref="Principal"/> (admin by configuration or group membership, cached)
/// and asks Domain's <see cref="Authorizer"/> with the person's grants from the store. A refusal of an action is
/// audited here, so no handler can forget to.
/// </summary>
public sealed partial class AccessControl(
    IOptions<AuthorizationOptions> options,
    ITenantAdministration administration,
    IMemoryCache cache,
    GrantStore grants,
    AuditTrail audit,
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

        return new Principal(id, actor.DisplayName, await IsAdminAsync(id, cancellationToken));
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
            var member = await administration.IsMemberOfAnyAsync(objectId, [.. settings.AdminGroupIds], cancellationToken);
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

    /// <summary>Decides; a refusal is written to the audit trail under <paramref name="operation"/>.</summary>
    public async Task<Decision> DecideAsync(Principal who, App app, AppRight right, AuditOperation operation, CancellationToken cancellationToken)
    {
        var decision = await MayAsync(who, app, right, cancellationToken);
        if (!decision.Allowed)
        {
            await audit.RefusedAsync(who, app.ObjectId, operation, decision.Explanation, cancellationToken);
        }

        return decision;
    }

    /// <summary>Decides without auditing: for choosing which buttons a card shows, never for acting.</summary>
    public async Task<Decision> MayAsync(Principal who, App app, AppRight right, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(app);
        var now = time.GetUtcNow();
        var current = who.ObjectId.Length == 0 ? [] : await grants.CurrentForAsync(who.ObjectId, app.ObjectId, now, cancellationToken);
        return Authorizer.Decide(who, app, right, current, now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check admin group membership; treating the person as not an admin")]
    private static partial void LogAdminCheckFailed(ILogger logger, Exception exception);
}
