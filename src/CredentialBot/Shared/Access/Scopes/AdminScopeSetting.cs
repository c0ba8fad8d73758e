using CredentialBot.Domain;

namespace CredentialBot.Shared.Access.Scopes;

/// <summary>One scope in settings (<c>AdminScopes:Scopes:0:Name</c>, <c>:People:0</c>, <c>:Groups:0</c>, <c>:Apps:0</c> = <c>tag:finance</c>).</summary>
public sealed class AdminScopeSetting
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Entra object ids of people who administer the scope.</summary>
    public IList<string> People { get; } = [];

    /// <summary>Groups whose members (transitively) administer the scope; at most 20 (Graph's checkMemberGroups limit).</summary>
    public IList<string> Groups { get; } = [];

    /// <summary>App selectors: <c>kind:Application</c>, <c>name:Pay*</c>, <c>tag:finance</c>, <c>app:&lt;id&gt;</c>.</summary>
    public IList<string> Apps { get; } = [];

    /// <summary>The scope, or null with the problems found (each naming the setting).</summary>
    public AdminScope? ToScope(string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var selectors = new List<AppSelector>();
        for (var i = 0; i < Apps.Count; i++)
        {
            if (AppSelector.Parse(Apps[i], out var problem) is { } selector)
            {
                selectors.Add(selector);
            }
            else
            {
                problems.Add($"{path}:Apps:{i}: {problem}");
            }
        }

        var scope = new AdminScope(Name.Trim(), [.. People.Select(p => p.Trim())], [.. Groups.Select(g => g.Trim())], selectors);
        var before = problems.Count;
        problems.AddRange(scope.Problems().Select(p => $"{path}: {p}"));
        if (Groups.Count > 20)
        {
            problems.Add($"{path}:Groups may list at most 20 groups (Graph's checkMemberGroups limit).");
        }

        return problems.Count == before && selectors.Count == Apps.Count ? scope : null;
    }
}
