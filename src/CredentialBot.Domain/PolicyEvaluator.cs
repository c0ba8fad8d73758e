namespace CredentialBot.Domain;

/// <summary>Evaluates an App against its Policy. Pure: time is a parameter.</summary>
public static class PolicyEvaluator
{
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

        foreach (var kind in Enum.GetValues<OwnerKind>())
        {
            var required = policy.MinimumOwners(kind);
            var active = app.OwnersOf(kind).Count(o => !o.IsInactive);
            if (active < required)
            {
                findings.Add(new TooFewOwners(app.ObjectId, kind, required, active));
            }
        }

        findings.AddRange(app.Owners.Where(o => o.IsInactive).Select(o => new OwnerDisabledOrDeleted(app.ObjectId, o)));
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
        foreach (var days in policy.ExpiryStagesDays)
        {
            if (remaining <= TimeSpan.FromDays(days) && (stage is null || days < stage))
            {
                stage = days;
            }
        }

        return stage;
    }
}
