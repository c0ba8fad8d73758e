namespace CredentialBot.Domain;

/// <summary>Evaluates an App against its Policy. Pure: time is a parameter.</summary>
public static class PolicyEvaluator
{
    private static readonly OwnerKind[] OwnerKinds = Enum.GetValues<OwnerKind>();

    public static IReadOnlyList<Finding> Evaluate(App app, Policy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);

        var findings = new List<Finding>();
        if (!app.ExternallyManaged)
        {
            foreach (var credential in app.Credentials)
            {
                if (credential.IsExpired(now))
                {
                    findings.Add(new CredentialExpired(app.ObjectId, credential));
                }
                else if (StageFor(credential, policy, now) is { } stage)
                {
                    findings.Add(new CredentialExpiringSoon(app.ObjectId, credential, stage));
                }
            }
        }

        // Loops rather than queries: a scan evaluates every App of the tenant.
        foreach (var kind in OwnerKinds)
        {
            var required = policy.MinimumOwners(kind);
            var active = 0;
            for (var i = 0; i < app.Owners.Count; i++)
            {
                active += app.Owners[i].Kind == kind && !app.Owners[i].IsInactive ? 1 : 0;
            }

            if (active < required)
            {
                findings.Add(new TooFewOwners(app.ObjectId, kind, required, active));
            }
        }

        for (var i = 0; i < app.Owners.Count; i++)
        {
            if (app.Owners[i].IsInactive)
            {
                findings.Add(new OwnerDisabledOrDeleted(app.ObjectId, app.Owners[i]));
            }
        }

        findings.Sort((a, b) => a.Urgency.CompareTo(b.Urgency));
        return findings;
    }

    /// <summary>
    /// The tightest stage a live credential has reached: the smallest threshold that is ≥ its days left,
    /// or null when it is outside every stage.
    /// </summary>
    public static int? StageFor(Credential credential, Policy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(policy);
        var remaining = credential.EndsAt - now;
        int? stage = null;
        // By index: a foreach over the interface would allocate an enumerator for every credential of every scan.
        var stages = policy.ExpiryStagesDays;
        for (var i = 0; i < stages.Count; i++)
        {
            var days = stages[i];
            if (remaining <= TimeSpan.FromDays(days) && (stage is null || days < stage))
            {
                stage = days;
            }
        }

        return stage;
    }
}
