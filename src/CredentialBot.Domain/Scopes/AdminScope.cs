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

    /// <summary>True when any of <paramref name="scopes"/> covers <paramref name="app"/>.</summary>
    public static bool AnyCovers(IEnumerable<AdminScope> scopes, App app)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return scopes.Any(s => s.Covers(app));
    }
}
