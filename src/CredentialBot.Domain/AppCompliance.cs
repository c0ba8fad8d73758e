namespace CredentialBot.Domain;

/// <summary>One App as its policy judges it at one moment.</summary>
/// <param name="App">The App.</param>
/// <param name="Policy">The policy it is held to.</param>
/// <param name="Findings">What the policy finds wrong; none when compliant.</param>
public sealed record AppCompliance(App App, Policy Policy, IReadOnlyList<Finding> Findings)
{
    public static AppCompliance Judge(App app, Policy policy, DateTimeOffset now) => new(app, policy, PolicyEvaluator.Evaluate(app, policy, now));
}
