namespace CredentialBot.Domain;

/// <summary>An App that needs attention soonest, for the compliance summary's top list.</summary>
public sealed record UrgentApp(string ObjectId, string AppId, string DisplayName, AppKind Kind, int Urgency, string Reason, DateTimeOffset? NearestExpiry);

/// <summary>
/// The tenant's compliance at one moment: how many Apps were evaluated, how many meet their policy, what is expired or
/// expiring, which rules fail how often, and the most urgent Apps. A compliant App has no findings.
/// </summary>
public sealed record ComplianceSummary(
    DateTimeOffset At,
    int Applications,
    int ServicePrincipals,
    int Compliant,
    int ExpiringWithin7Days,
    int ExpiringWithin30Days,
    int Expired,
    IReadOnlyDictionary<string, int> NonCompliantByRule,
    IReadOnlyList<UrgentApp> MostUrgent)
{
    public int Total => Applications + ServicePrincipals;

    /// <summary>Compliant Apps as a share of all Apps (1 when there are none).</summary>
    public double CompliantShare => Total == 0 ? 1 : (double)Compliant / Total;
}

/// <summary>
/// Tallies Apps one at a time into a <see cref="ComplianceSummary"/>, so a tenant of any size is summarised without
/// being held in memory: counts, per-rule counts (an App counts once per rule), and the <see cref="TopCount"/> most
/// urgent Apps. Expiry counts are per App, by its nearest credential.
/// </summary>
public sealed class ComplianceTally(DateTimeOffset now)
{
    public const int TopCount = 10;

    /// <summary>Rule names, in the order the summary lists them.</summary>
    public static readonly IReadOnlyList<string> Rules = ["Credential expired", "Credential expiring", "Too few Entra owners", "Too few technical owners", "Too few business owners", "Owner disabled or deleted"];

    private readonly Dictionary<string, int> _byRule = Rules.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
    private readonly PriorityQueue<UrgentApp, (int, string)> _top = new(Comparer<(int Urgency, string Name)>.Create((a, b) => -a.CompareTo(b)));
    private int _applications;
    private int _servicePrincipals;
    private int _compliant;
    private int _expiring7;
    private int _expiring30;
    private int _expired;

    public void Add(App app, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(findings);
        if (app.Kind == AppKind.Application)
        {
            _applications++;
        }
        else
        {
            _servicePrincipals++;
        }

        if (findings.Count == 0)
        {
            _compliant++;
        }

        foreach (var rule in findings.Select(RuleOf).Distinct(StringComparer.Ordinal))
        {
            _byRule[rule]++;
        }

        if (!app.ExternallyManaged && app.Credentials.Count > 0)
        {
            var daysLeft = app.Credentials.Min(c => (c.EndsAt - now).TotalDays);
            if (daysLeft <= 0)
            {
                _expired++;
            }
            else if (daysLeft <= 7)
            {
                _expiring7++;
            }

            if (daysLeft is > 0 and <= 30)
            {
                _expiring30++;
            }
        }

        if (findings.Count > 0)
        {
            var worst = findings.MinBy(f => f.Urgency)!;
            var entry = new UrgentApp(app.ObjectId, app.AppId, app.DisplayName, app.Kind, worst.Urgency, worst.Describe(now), app.NearestExpiry?.EndsAt);
            _top.Enqueue(entry, (worst.Urgency, app.DisplayName));
            if (_top.Count > TopCount)
            {
                _top.Dequeue();
            }
        }
    }

    public ComplianceSummary ToSummary()
    {
        var top = _top.UnorderedItems.Select(i => i.Element).OrderBy(u => u.Urgency).ThenBy(u => u.NearestExpiry).ThenBy(u => u.DisplayName, StringComparer.Ordinal).ToList();
        return new ComplianceSummary(now, _applications, _servicePrincipals, _compliant, _expiring7, _expiring30, _expired, new Dictionary<string, int>(_byRule, StringComparer.Ordinal), top);
    }

    public static string RuleOf(Finding finding) => finding switch
    {
        CredentialExpired => Rules[0],
        CredentialExpiringSoon => Rules[1],
        TooFewOwners { Kind: OwnerKind.Entra } => Rules[2],
        TooFewOwners { Kind: OwnerKind.Technical } => Rules[3],
        TooFewOwners => Rules[4],
        _ => Rules[5],
    };
}
