using CredentialBot.Domain;

namespace CredentialBot.Admin.Compliance;

/// <summary>One App as its policy judges it now.</summary>
/// <param name="App">The App.</param>
/// <param name="Policy">The policy it is held to.</param>
/// <param name="Findings">What the policy finds wrong; none when compliant.</param>
public sealed record AppCompliance(App App, Policy Policy, IReadOnlyList<Finding> Findings);
