using CredentialBot.Domain;

namespace CredentialBot.Admin.Policies;

/// <summary>A policy as a scoped admin sees it.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="AssignedInScope">Its assignments confined to the person's scopes, as selectors (<c>tag:finance</c>).</param>
/// <param name="AssignedElsewhere">How many of its assignments reach outside those scopes (not shown).</param>
/// <param name="EditRefusal">Why the person may not edit it, or null when they may.</param>
public sealed record ScopedPolicyView(Policy Policy, IReadOnlyList<string> AssignedInScope, int AssignedElsewhere, string? EditRefusal)
{
    /// <summary>What the card's "Assigned to" says: the in-scope assignments, and how many others there are.</summary>
    public IReadOnlyList<string> AssignedTo =>
        AssignedElsewhere == 0 ? AssignedInScope : [.. AssignedInScope, $"{AssignedElsewhere} more outside your scope"];
}
