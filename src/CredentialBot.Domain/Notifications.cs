namespace CredentialBot.Domain;

/// <summary>Why a person is told about a credential.</summary>
public enum RecipientRole
{
    /// <summary>An accountable technical owner: the first to be told.</summary>
    TechnicalOwner,

    /// <summary>A business owner: told when no technical owner can act, and at the last stage.</summary>
    BusinessOwner,

    /// <summary>An Entra owner: told when neither technical nor business owners can act.</summary>
    EntraOwner,
}

/// <summary>
/// One credential at one stage for one person. <see cref="DedupKey"/> is what makes "at most once per stage and
/// recipient" hold across scans, restarts and instances: the outbox accepts each key once.
/// </summary>
public sealed record Notice(string RecipientObjectId, RecipientRole Role, string AppObjectId, string CredentialKeyId, string Stage, int Urgency)
{
    /// <summary>The stage of an expired credential.</summary>
    public const string ExpiredStage = "expired";

    public string DedupKey => $"{AppObjectId}/{CredentialKeyId}/{Stage}/{RecipientObjectId}";
}

/// <summary>
/// Decides who hears about which expiring or expired credential. Rules, in order:
/// <list type="number">
/// <item>Only credential findings notify (owner findings show on cards; they are not a reason to message people).</item>
/// <item>Active technical owners are told.</item>
/// <item>With no active technical owner, the finding escalates to active business owners, and with none of those
/// either, to active Entra owners.</item>
/// <item>At the policy's last stage and once expired, business owners are told as well: nobody has acted in time.</item>
/// <item>With nobody active at all, the notice goes to <see cref="NoOneRecipient"/>, for the admin channel.</item>
/// </list>
/// Pure: the same App and findings always give the same notices.
/// </summary>
public static class NotificationPlanner
{
    /// <summary>The recipient of notices that have no accountable person.</summary>
    public const string NoOneRecipient = "";

    public static IReadOnlyList<Notice> Plan(App app, Policy policy, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(findings);
        var lastStage = policy.ExpiryStagesDays.Count == 0 ? 0 : policy.ExpiryStagesDays.Min();
        var notices = new List<Notice>();
        foreach (var finding in findings)
        {
            var (credential, stage, late) = finding switch
            {
                CredentialExpired expired => (expired.Credential, Notice.ExpiredStage, true),
                CredentialExpiringSoon soon => (soon.Credential, soon.StageDays.ToString(System.Globalization.CultureInfo.InvariantCulture), soon.StageDays <= lastStage),
                _ => (null, string.Empty, false),
            };
            if (credential is null)
            {
                continue;
            }

            foreach (var (person, role) in RecipientsOf(app, late))
            {
                notices.Add(new Notice(person, role, app.ObjectId, credential.KeyId, stage, finding.Urgency));
            }
        }

        return notices;
    }

    /// <summary>One digest per person: their notices, most urgent first.</summary>
    public static IReadOnlyList<IGrouping<string, Notice>> Digests(IEnumerable<Notice> notices) =>
        [.. notices.OrderBy(n => n.Urgency).GroupBy(n => n.RecipientObjectId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)];

    private static List<(string Person, RecipientRole Role)> RecipientsOf(App app, bool late)
    {
        var technical = Active(app, OwnerKind.Technical).Select(o => (o.ObjectId, RecipientRole.TechnicalOwner)).ToList();
        var business = Active(app, OwnerKind.Business).Select(o => (o.ObjectId, RecipientRole.BusinessOwner)).ToList();
        var entra = Active(app, OwnerKind.Entra).Select(o => (o.ObjectId, RecipientRole.EntraOwner)).ToList();

        IEnumerable<(string, RecipientRole)> chosen = technical.Count > 0
            ? late ? technical.Concat(business) : technical
            : business.Count > 0 ? business : entra;
        var distinct = chosen.DistinctBy(r => r.Item1, StringComparer.Ordinal).ToList();
        return distinct.Count > 0 ? distinct : [(NoOneRecipient, RecipientRole.EntraOwner)];
    }

    private static IEnumerable<Owner> Active(App app, OwnerKind kind) => app.OwnersOf(kind).Where(o => !o.IsInactive);
}
