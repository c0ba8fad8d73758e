using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Access.Scopes;

/// <summary>Refuses a scope that would not work (no people, no apps, a selector that is not one, a duplicate name) at start.</summary>
public sealed class AdminScopesOptionsValidator : IValidateOptions<AdminScopesOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminScopesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        for (var i = 0; i < options.Scopes.Count; i++)
        {
            options.Scopes[i].ToScope($"{AdminScopesOptions.SectionName}:Scopes:{i}", problems);
        }

        problems.AddRange(options.Scopes.GroupBy(s => s.Name.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"{AdminScopesOptions.SectionName}:Scopes: the name \"{g.Key}\" is used by {g.Count()} scopes; names must be unique."));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
