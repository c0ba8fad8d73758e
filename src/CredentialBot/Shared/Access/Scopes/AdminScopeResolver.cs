using CredentialBot.Domain;
using Microsoft.Extensions.Caching.Memory;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Access.Scopes;

/// <summary>
/// Which admin scopes a person administers: named directly, or a member (transitively, through Graph, cached like
/// admin groups) of a scope's group. Fails closed: without an answer from Graph a group gives nobody a scope.
/// The scopes are those in settings (infrastructure as code, read-only in Teams) and those global admins made in
/// Teams (<see cref="AdminScopeStore"/>); both apply, and where a stored scope has a settings scope's name, settings win
/// and the stored one is ignored (the <c>scopes</c> card says so).
/// </summary>
public sealed partial class AdminScopeResolver(
    IOptions<AdminScopesOptions> options,
    IOptions<AuthorizationOptions> authorization,
    ITenantAdministration administration,
    AdminScopeStore stored,
    IMemoryCache cache,
    ILogger<AdminScopeResolver> logger)
{
    /// <summary>The scopes in settings (validated at start, so each reads).</summary>
    public IReadOnlyList<AdminScope> FromSettings()
    {
        var problems = new List<string>();
        return [.. options.Value.Scopes.Select((s, i) => s.ToScope($"{AdminScopesOptions.SectionName}:Scopes:{i}", problems)).OfType<AdminScope>()];
    }

    /// <summary>Every scope in force: settings', then the stored ones whose names settings do not use.</summary>
    public async Task<IReadOnlyList<AdminScope>> AllAsync(CancellationToken cancellationToken)
    {
        var settings = FromSettings();
        var names = settings.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. settings, .. (await stored.ListAsync(cancellationToken)).Select(s => s.Scope).Where(s => !names.Contains(s.Name))];
    }

    /// <summary>
    /// Who is asked 1:1 to decide for <paramref name="app"/> (an App or the prospect of a requested one): the admins named
    /// in the settings and the people of the scopes covering it, never <paramref name="requesterObjectId"/>. Admins by
    /// group cannot be listed; they decide from an approval channel.
    /// </summary>
    public async Task<List<string>> AdminsToAskAsync(App app, string requesterObjectId, CancellationToken cancellationToken) =>
        [.. authorization.Value.AdminObjectIds
            .Concat((await AllAsync(cancellationToken)).Where(s => s.Covers(app)).SelectMany(s => s.PersonIds))
            .Where(id => !string.Equals(id, requesterObjectId, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// The scopes <paramref name="who"/> administers; none for a global admin (who needs none, so Graph is not asked) or
    /// anyone unidentified. Rules where a scope widens what a person may do take this list.
    /// </summary>
    public async Task<IReadOnlyList<AdminScope>> ScopesOfAsync(Principal who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(who);
        if (who.ObjectId.Length == 0 || who.IsAdmin)
        {
            return [];
        }

        var mine = new List<AdminScope>();
        foreach (var scope in await AllAsync(cancellationToken))
        {
            if (scope.NamesPerson(who.ObjectId) || await IsMemberAsync(scope, who.ObjectId, cancellationToken))
            {
                mine.Add(scope);
            }
        }

        return mine;
    }

    private async Task<bool> IsMemberAsync(AdminScope scope, string objectId, CancellationToken cancellationToken)
    {
        if (scope.GroupIds.Count == 0)
        {
            return false;
        }

        // The groups are part of the key: a scope edited in Teams to other groups is not answered from the old ones.
        var key = $"scope:{scope.Name}:{string.Join(',', scope.GroupIds)}:{objectId}";
        if (cache.TryGetValue(key, out bool known))
        {
            return known;
        }

        try
        {
            var member = await administration.IsMemberOfAnyAsync(objectId, scope.GroupIds, cancellationToken);
            cache.Set(key, member, authorization.Value.AdminCacheDuration);
            return member;
        }
        catch (Exception ex) when (ex is HttpRequestException or Microsoft.Graph.Models.ODataErrors.ODataError)
        {
            LogScopeCheckFailed(logger, scope.Name, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check membership of admin scope {Scope}'s groups; treating the person as outside it")]
    private static partial void LogScopeCheckFailed(ILogger logger, string scope, Exception exception);
}
