using CredentialBot.Domain;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Admin.Scopes;

/// <summary>What the scope editor holds, as typed: untrusted text, read into an <see cref="AdminScope"/> or problems.</summary>
public sealed record ScopeForm(string Name, string People, string Groups, string Apps)
{
    public const string NameInput = "name";
    public const string PeopleInput = "people";
    public const string GroupsInput = "groups";
    public const string AppsInput = "apps";

    /// <summary>Graph's checkMemberGroups takes at most 20 groups.</summary>
    public const int MaxGroups = 20;

    private const int MaxIdLength = 64;

    private static readonly char[] Separators = ['\n', '\r', ','];

    public static ScopeForm Empty { get; } = new(string.Empty, string.Empty, string.Empty, string.Empty);

    public static ScopeForm Of(AdminScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new(scope.Name, string.Join('\n', scope.PersonIds), string.Join('\n', scope.GroupIds), string.Join('\n', scope.Apps));
    }

    public static ScopeForm Read(DialogRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.Input(NameInput) ?? string.Empty, request.Input(PeopleInput) ?? string.Empty, request.Input(GroupsInput) ?? string.Empty, request.Input(AppsInput) ?? string.Empty);
    }

    /// <summary>The scope the form describes, or null with every problem, each naming the bad part (a selector as typed).</summary>
    public AdminScope? ToScope(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        var people = Ids(People, "person", problems);
        var groups = Ids(Groups, "group", problems);
        if (groups.Count > MaxGroups)
        {
            problems.Add($"At most {MaxGroups} groups (Graph's checkMemberGroups limit); {groups.Count} were given.");
        }

        var selectors = new List<AppSelector>();
        foreach (var text in Items(Apps))
        {
            if (AppSelector.Parse(text, out var problem) is { } selector)
            {
                selectors.Add(selector);
            }
            else
            {
                problems.Add($"App selector \"{Clip(text)}\": {problem}");
            }
        }

        var scope = new AdminScope(Name.Trim(), people, groups, selectors);
        problems.AddRange(scope.Problems().Where(p => !p.StartsWith($"Scope \"{scope.Name}\": ", StringComparison.Ordinal)));
        return problems.Count == before ? scope : null;
    }

    private static List<string> Ids(string text, string what, List<string> problems)
    {
        var ids = Items(text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var id in ids.Where(i => i.Length > MaxIdLength || i.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            problems.Add($"\"{Clip(id)}\" is not a {what} object id.");
        }

        return ids;
    }

    private static string[] Items(string text) =>
        text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Clip(string text) => text.Length > 60 ? string.Concat(text.AsSpan(0, 59), "…") : text;
}
