using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Policies;

/// <summary>
/// The policies a scoped admin sees and may edit. They see a policy that governs one of their Apps today, or that is
/// assigned only inside their scopes; of its assignments only those inside their scopes. They may edit it only when
/// every assignment is confined to their scopes (Domain's <see cref="AdminScope.PolicyEditRefusal"/>), so no edit of
/// theirs changes how an App outside them is judged.
/// </summary>
public sealed class ScopedPolicies(PolicyStore policies, AppCatalog catalog, ComplianceReport report)
{
    public async Task<IReadOnlyList<ScopedPolicyView>> ViewAsync(IReadOnlyList<AdminScope> mine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var governing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var judged in report.EvaluateAllAsync(cancellationToken))
        {
            if (AdminScope.AnyCovers(mine, judged.App))
            {
                governing.Add(judged.Policy.Name);
            }
        }

        var assigned = await policies.AssignedSelectorsAsync(cancellationToken);
        var views = new List<ScopedPolicyView>();
        foreach (var policy in await policies.ListAsync(cancellationToken))
        {
            var selectors = assigned.GetValueOrDefault(policy.Name) ?? [];
            var named = await NamedAppsAsync(selectors, cancellationToken);
            var refusal = AdminScope.PolicyEditRefusal(mine, policy.Name, selectors, named.GetValueOrDefault);
            if (refusal is null || governing.Contains(policy.Name))
            {
                var inside = selectors.Where(s => mine.Any(m => m.Confines(s, named.GetValueOrDefault(s.Value)))).ToList();
                views.Add(new ScopedPolicyView(policy, [.. inside.Select(s => s.ToString())], selectors.Count - inside.Count, refusal));
            }
        }

        return views;
    }

    /// <summary>Why a person administering <paramref name="mine"/> may not edit the named policy, or null when they may.</summary>
    public async Task<string?> EditRefusalAsync(IReadOnlyList<AdminScope> mine, string policyName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var selectors = (await policies.AssignedSelectorsAsync(cancellationToken)).GetValueOrDefault(policyName) ?? [];
        var named = await NamedAppsAsync(selectors, cancellationToken);
        return AdminScope.PolicyEditRefusal(mine, policyName, selectors, named.GetValueOrDefault);
    }

    /// <summary>The Apps that <c>app:</c> assignments name, by the id the assignment gives (unknown ids are left out).</summary>
    private async Task<Dictionary<string, App>> NamedAppsAsync(IReadOnlyList<AppSelector> selectors, CancellationToken cancellationToken)
    {
        var named = new Dictionary<string, App>(StringComparer.OrdinalIgnoreCase);
        foreach (var selector in selectors.Where(s => s.Kind == AppSelectorKind.App))
        {
            if ((await catalog.FindExactAsync(selector.Value, 2, cancellationToken)).FirstOrDefault(selector.Matches) is { } app)
            {
                named[selector.Value] = app;
            }
        }

        return named;
    }
}
