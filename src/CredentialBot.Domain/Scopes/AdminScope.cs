namespace CredentialBot.Domain;

/// <summary>
/// A part of the tenant some people administer: the people (by object id, or as members of groups, checked
/// transitively like admin groups) and the Apps (by <see cref="AppSelector"/>, the selectors of policy assignment).
/// A scoped admin may do admin work on Apps the scope covers and on nothing else.
/// </summary>
public sealed record AdminScope(string Name, IReadOnlyList<string> PersonIds, IReadOnlyList<string> GroupIds, IReadOnlyList<AppSelector> Apps)
{
    private const int MaxNameLength = 60;

    /// <summary>True when some selector of the scope picks <paramref name="app"/>.</summary>
    public bool Covers(App app) => Apps.Any(s => s.Matches(app));

    /// <summary>True when <paramref name="personObjectId"/> is named directly (groups are the caller's to check).</summary>
    public bool NamesPerson(string personObjectId) => PersonIds.Contains(personObjectId, StringComparer.OrdinalIgnoreCase);

    /// <summary>"Payments (tag:payments, name:Pay*)": what a card, the CLI and CSV say the scope is.</summary>
    public string Describe() => $"{Name} ({string.Join(", ", Apps)})";

    /// <summary>What is wrong with this scope, each a sentence naming the part; empty when it can be used.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength || Name.Any(char.IsControl))
        {
            problems.Add($"A scope's name must be 1 to {MaxNameLength} printable characters.");
        }

        if (PersonIds.Count == 0 && GroupIds.Count == 0)
        {
            problems.Add($"Scope \"{Name}\" names nobody: list people's object ids or groups.");
        }

        if (PersonIds.Concat(GroupIds).Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"Scope \"{Name}\" has an empty person or group id.");
        }

        if (Apps.Count == 0)
        {
            problems.Add($"Scope \"{Name}\" selects no apps: give at least one app selector.");
        }

        problems.AddRange(Apps.Select(a => a.Problem()).OfType<string>().Select(p => $"Scope \"{Name}\": {p}"));
        return problems;
    }

    /// <summary>
    /// True when an App that does not exist yet, described by what a request for it says (its display name, kind and
    /// tags), would fall into this scope once created: what a new-app request asks before a scoped admin may approve it.
    /// An <c>app:</c> selector names an existing App, so it never covers one not yet created.
    /// </summary>
    public bool CoversNewApp(string displayName, AppKind kind, IReadOnlyList<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        return Covers(new App(string.Empty, string.Empty, displayName, kind, [], [], tags));
    }

    /// <summary>
    /// True when every App <paramref name="assigned"/> picks, now or later, is inside this scope: the selector is one of
    /// the scope's, or narrower than one (a longer name prefix, an exact name the pattern matches), or it names one App
    /// (<paramref name="namedApp"/>, looked up by the caller; null when unknown) the scope covers.
    /// </summary>
    public bool Confines(AppSelector assigned, App? namedApp)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        return assigned.Kind == AppSelectorKind.App
            ? namedApp is not null && assigned.Matches(namedApp) && Covers(namedApp)
            : Apps.Any(s => s.Includes(assigned));
    }

    /// <summary>
    /// Why a scoped admin administering <paramref name="scopes"/> may not edit a policy assigned to
    /// <paramref name="assignments"/>, or null when they may: only a policy assigned to something, each assignment
    /// confined to their scopes (<see cref="Confines"/>), so an edit can never change how an App outside them is judged.
    /// </summary>
    public static string? PolicyEditRefusal(IReadOnlyList<AdminScope> scopes, string policyName, IReadOnlyList<AppSelector> assignments, Func<string, App?> findApp)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentNullException.ThrowIfNull(findApp);
        if (scopes.Count == 0)
        {
            return "You administer no scope.";
        }

        if (assignments.Count == 0)
        {
            return $"Policy \"{policyName}\" is assigned to nothing, so it is not inside your scope; a global admin edits it.";
        }

        var outside = assignments.Where(a => !scopes.Any(s => s.Confines(a, a.Kind == AppSelectorKind.App ? findApp(a.Value) : null))).ToList();
        return outside.Count == 0
            ? null
            : $"Policy \"{policyName}\" also applies outside your scope ({string.Join(", ", outside)}), so only a global admin can edit it.";
    }

    /// <summary>True when some scope in <paramref name="scopes"/> covers the new App (<see cref="CoversNewApp"/>).</summary>
    public static bool AnyCoversNewApp(IEnumerable<AdminScope> scopes, string displayName, AppKind kind, IReadOnlyList<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return scopes.Any(s => s.CoversNewApp(displayName, kind, tags));
    }

    /// <summary>True when any of <paramref name="scopes"/> covers <paramref name="app"/>.</summary>
    public static bool AnyCovers(IEnumerable<AdminScope> scopes, App app)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return scopes.Any(s => s.Covers(app));
    }
}
