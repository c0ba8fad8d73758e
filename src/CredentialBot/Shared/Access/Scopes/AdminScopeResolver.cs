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
    /// <summary>The most people of one admin group asked 1:1.</summary>
    public const int MaxAskedPerGroup = 25;

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
    /// in the settings and the people of the scopes covering it, named or by group, and the members of the admin groups;
    /// never <paramref name="requesterObjectId"/>. A group of more than <see cref="MaxAskedPerGroup"/> people is asked
    /// from an approval channel instead: a card to each of hundreds of people is noise, and picking some is arbitrary.
    /// </summary>
    public async Task<List<string>> AdminsToAskAsync(App app, string requesterObjectId, CancellationToken cancellationToken)
    {
        var covering = (await AllAsync(cancellationToken)).Where(s => s.Covers(app)).ToList();
        var people = authorization.Value.AdminObjectIds.Concat(covering.SelectMany(s => s.PersonIds)).ToList();
        foreach (var group in authorization.Value.AdminGroupIds.Concat(covering.SelectMany(s => s.GroupIds)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            people.AddRange(await UsersInGroupAsync(group, cancellationToken));
        }

        return [.. people
            .Where(id => !string.Equals(id, requesterObjectId, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)];
    }

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

    /// <summary>
    /// The people of an admin group to ask 1:1, cached like memberships; none when Graph cannot say (they can still
    /// decide from an approval channel, and whoever decides is checked then) or when the group is too big to ask.
    /// </summary>
    private async Task<IReadOnlyList<string>> UsersInGroupAsync(string groupId, CancellationToken cancellationToken)
    {
        var key = "group-users:" + groupId;
        if (cache.TryGetValue(key, out IReadOnlyList<string>? known) && known is not null)
        {
            return known;
        }

        try
        {
            var listed = await administration.ListUsersInGroupAsync(groupId, MaxAskedPerGroup + 1, cancellationToken);
            var users = listed.Count <= MaxAskedPerGroup ? listed : [];
            if (listed.Count > MaxAskedPerGroup)
            {
                LogGroupTooBigToAsk(logger, groupId, MaxAskedPerGroup);
            }

            cache.Set(key, users, authorization.Value.AdminCacheDuration);
            return users;
        }
        catch (Exception ex) when (ex is HttpRequestException or Microsoft.Graph.Models.ODataErrors.ODataError)
        {
            LogGroupListFailed(logger, groupId, ex);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin group {Group} has more than {Max} people; none of them is asked 1:1 (give the policy an approval channel)")]
    private static partial void LogGroupTooBigToAsk(ILogger logger, string group, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list the people of admin group {Group}; they are not asked 1:1 this time")]
    private static partial void LogGroupListFailed(ILogger logger, string group, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check membership of admin scope {Scope}'s groups; treating the person as outside it")]
    private static partial void LogScopeCheckFailed(ILogger logger, string scope, Exception exception);
}
