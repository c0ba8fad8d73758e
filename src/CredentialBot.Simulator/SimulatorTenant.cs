using System.Security.Cryptography;

namespace CredentialBot.Simulator;

/// <summary>
/// An in-memory Entra tenant: applications, service principals and users, thread-safe, with a change version per
/// object so delta queries return what changed. Collections keep insertion order, which makes paging stable.
/// </summary>
public sealed partial class SimulatorTenant
{
    private readonly Lock _gate = new();
    private readonly List<SimObject> _applications = [];
    private readonly List<SimObject> _servicePrincipals = [];
    private readonly Dictionary<string, SimObject> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SimUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SimUser> _usersByUpn = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SimGroup> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SimRoleAssignmentRequest> _roleRequests = [];
    private long _version;
    private long _requests;
    private long _lowPriorityRequests;
    private long _httpRequests;

    /// <summary>
    /// This tenant's identity in its delta tokens: a token another tenant issued (a Simulator restarted with other data
    /// at the same address) is not valid here, as Graph answers a sync state it does not know with 410.
    /// </summary>
    public string Generation { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Delta tokens older than this version have expired (Graph answers 410 Gone).</summary>
    public long OldestValidDeltaVersion { get; private set; }

    /// <summary>Requests served (including those inside a $batch).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>HTTP requests received: a <c>$batch</c> is one, however many requests it carries (those count in <see cref="RequestCount"/>).</summary>
    public long HttpRequestCount => Interlocked.Read(ref _httpRequests);

    /// <summary>Requests that carried <c>x-ms-throttle-priority: low</c>.</summary>
    public long LowPriorityRequestCount => Interlocked.Read(ref _lowPriorityRequests);

    public long CurrentVersion
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public IReadOnlyList<SimObject> Applications
    {
        get
        {
            lock (_gate)
            {
                return [.. _applications.Where(a => !a.Deleted)];
            }
        }
    }

    public IReadOnlyList<SimObject> ServicePrincipals
    {
        get
        {
            lock (_gate)
            {
                return [.. _servicePrincipals.Where(a => !a.Deleted)];
            }
        }
    }

    public IReadOnlyList<SimUser> Users
    {
        get
        {
            lock (_gate)
            {
                return [.. _users.Values];
            }
        }
    }

    /// <summary>
    /// The default app-management policy's maximum password lifetime for applications; null when the tenant sets none.
    /// Setting it sets (or clears) the policy's <c>passwordLifetime</c> restriction and turns the policy on.
    /// </summary>
    public TimeSpan? SecretLifetimeLimit
    {
        get => Policies.AppManagement.IsEnabled
            ? Policies.AppManagement.ApplicationPasswords.FirstOrDefault(r => r.RestrictionType == "passwordLifetime" && r.State == "enabled")?.MaxLifetime
            : null;
        set
        {
            var restrictions = Policies.AppManagement.ApplicationPasswords;
            restrictions.RemoveAll(r => r.RestrictionType == "passwordLifetime");
            if (value is { } limit)
            {
                restrictions.Add(new SimRestriction("passwordLifetime", limit));
                Policies.AppManagement.IsEnabled = true;
            }
        }
    }

    /// <summary>The tenant's policies: who may register and consent to apps, app management, the admin consent workflow.</summary>
    public SimTenantPolicies Policies { get; } = new();

    /// <summary>
    /// What the caller (the bot) may do: Graph permission names, or null for everything. With
    /// <c>Application.ReadWrite.OwnedBy</c> and not <c>Application.ReadWrite.All</c>, writes reach only objects whose
    /// owners include <see cref="CallerServicePrincipalId"/>.
    /// </summary>
    public IReadOnlySet<string>? GrantedPermissions { get; set; }

    /// <summary>The caller's own service principal: what "the calling app" is for ownership rules.</summary>
    public string? CallerServicePrincipalId { get; set; }

    /// <summary>Sign-in activity recorded for the usage reports (the tests' way of saying "this credential was used").</summary>
    public SimSignInActivity SignIns { get; } = new();

    /// <summary>True when the caller holds any of <paramref name="permissions"/> (everything when none were set).</summary>
    public bool Grants(params string[] permissions) =>
        GrantedPermissions is not { } granted || permissions.Any(granted.Contains);

    /// <summary>
    /// Whether the caller may change <paramref name="target"/>: with <c>Application.ReadWrite.All</c> anything; with only
    /// <c>Application.ReadWrite.OwnedBy</c>, what it owns ("It cannot update any apps that it is not an owner of").
    /// </summary>
    public bool CallerMayWrite(SimObject target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Grants("Application.ReadWrite.All", "Directory.ReadWrite.All"))
        {
            return true;
        }

        lock (_gate)
        {
            return Grants("Application.ReadWrite.OwnedBy") && CallerServicePrincipalId is { } caller && target.OwnerIds.Contains(caller, StringComparer.OrdinalIgnoreCase);
        }
    }

    public SimObject Add(SimObject directoryObject)
    {
        ArgumentNullException.ThrowIfNull(directoryObject);
        lock (_gate)
        {
            directoryObject.Version = ++_version;
            (directoryObject.Kind == SimObjectKind.Application ? _applications : _servicePrincipals).Add(directoryObject);
            _byId[directoryObject.Id] = directoryObject;
            return directoryObject;
        }
    }

    /// <summary>Changes an object; delta reports it afterwards. False when there is no such live object.</summary>
    public bool Modify(string objectId, Action<SimObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!_byId.TryGetValue(objectId, out var target) || target.Deleted)
            {
                return false;
            }

            change(target);
            target.Version = ++_version;
            return true;
        }
    }

    /// <summary>
    /// Changes an object's owners without making it a delta change. The delta functions of applications and service
    /// principals track their properties (all of them, or those in <c>$select</c>); the delta overview documents
    /// relationship changes only for users' manager and groups' members, so nothing promises that adding or removing
    /// an owner brings an application into <c>applications/delta</c>, and the Simulator does not.
    /// </summary>
    public bool ChangeOwners(string objectId, Action<List<string>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (!_byId.TryGetValue(objectId, out var target) || target.Deleted)
            {
                return false;
            }

            change(target.OwnerIds);
            return true;
        }
    }

    /// <summary>Deletes an object; delta reports it as <c>@removed</c>.</summary>
    public bool Remove(string objectId)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(objectId, out var target) || target.Deleted)
            {
                return false;
            }

            target.Deleted = true;
            target.Version = ++_version;
            return true;
        }
    }

    /// <summary>Makes every delta token issued so far invalid, as Graph does when sync state ages out.</summary>
    public void ExpireDeltaTokens()
    {
        lock (_gate)
        {
            // Every link issued so far dies; links issued from now on are valid.
            _version++;
            OldestValidDeltaVersion = _version;
        }
    }

    public SimObject? Find(string id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out var found) && !found.Deleted ? found : null;
        }
    }

    public SimObject? FindByAppId(SimObjectKind kind, string appId)
    {
        lock (_gate)
        {
            return (kind == SimObjectKind.Application ? _applications : _servicePrincipals)
                .FirstOrDefault(o => !o.Deleted && string.Equals(o.AppId, appId, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>A page of live objects starting at <paramref name="offset"/> of the insertion-ordered collection.</summary>
    internal (List<SimObject> Page, int NextOffset) Page(SimObjectKind kind, int offset, int size, Func<SimObject, bool>? filter)
    {
        lock (_gate)
        {
            var source = kind == SimObjectKind.Application ? _applications : _servicePrincipals;
            var page = new List<SimObject>(Math.Min(size, 1000));
            var index = offset;
            for (; index < source.Count && page.Count < size; index++)
            {
                var item = source[index];
                if (!item.Deleted && (filter is null || filter(item)))
                {
                    page.Add(item);
                }
            }

            return (page, index < source.Count ? index : -1);
        }
    }

    /// <summary>The live objects of a kind among <paramref name="ids"/> (each once, in the order asked), paged.</summary>
    internal (List<SimObject> Page, int NextOffset) PageOf(SimObjectKind kind, IReadOnlyList<string> ids, int offset, int size)
    {
        lock (_gate)
        {
            var found = ids.Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(id => _byId.GetValueOrDefault(id))
                .OfType<SimObject>()
                .Where(o => o.Kind == kind && !o.Deleted)
                .ToList();
            var page = found.Skip(offset).Take(size).ToList();
            return (page, offset + page.Count < found.Count ? offset + page.Count : -1);
        }
    }

    /// <summary>Objects changed after <paramref name="sinceVersion"/> (deleted ones included), paged.</summary>
    internal (List<SimObject> Page, int NextOffset) Changes(SimObjectKind kind, long sinceVersion, int offset, int size)
    {
        lock (_gate)
        {
            var source = kind == SimObjectKind.Application ? _applications : _servicePrincipals;
            var page = new List<SimObject>();
            var index = offset;
            for (; index < source.Count && page.Count < size; index++)
            {
                if (source[index].Version > sinceVersion && (sinceVersion > 0 || !source[index].Deleted))
                {
                    page.Add(source[index]);
                }
            }

            return (page, index < source.Count ? index : -1);
        }
    }

    /// <summary>Adds a secret and returns its text once; only a three-character hint is kept.</summary>
    internal (SimCredential Credential, string SecretText)? AddPassword(string objectId, string? displayName, DateTimeOffset? endDateTime, DateTimeOffset now)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '~').Replace('/', '_');
        var credential = new SimCredential(Guid.NewGuid().ToString(), displayName, now, endDateTime ?? now.AddYears(2), secret[..3]);
        return Modify(objectId, o => o.PasswordCredentials.Add(credential)) ? (credential, secret) : null;
    }

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    internal void CountLowPriority() => Interlocked.Increment(ref _lowPriorityRequests);

    internal void CountHttpRequest() => Interlocked.Increment(ref _httpRequests);
}
