using CredentialBot.Admin.Compliance;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Admin.Scopes;

/// <summary>
/// A scoped admin's compliance: only the Apps their scopes cover are counted, and the card says which scopes. Computed
/// from the store when asked; the tenant posture and the change since the previous scan stay with global admins.
/// </summary>
public sealed class ScopedCompliance(ComplianceReport report, AdminScopeResolver scopes, TimeProvider time)
{
    public async Task<ComplianceSummary> ComputeAsync(IReadOnlyList<AdminScope> mine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var tally = new ComplianceTally(time.GetUtcNow());
        await foreach (var judged in report.EvaluateAllAsync(cancellationToken))
        {
            if (AdminScope.AnyCovers(mine, judged.App))
            {
                tally.Add(judged.App, judged.Findings);
            }
        }

        return tally.ToSummary();
    }

    /// <summary>The compliance card of the person's scopes; <paramref name="note"/> (e.g. why a scan was not started) heads it.</summary>
    public async Task<AdaptiveCard> CardAsync(Principal who, CancellationToken cancellationToken, string? note = null)
    {
        var mine = await scopes.ScopesOfAsync(who, cancellationToken);
        var card = ComplianceCard.Build(await ComputeAsync(mine, cancellationToken), null);
        var body = card.Body.ToList();
        body.Insert(1, CardParts.Text($"**Your scope**: {CardText.Literal(Describe(mine), 400)}. Only these apps are counted.", Urgency.Warning));
        if (note is not null)
        {
            body.Insert(0, CardParts.Text(note));
        }

        return card with { Body = body };
    }

    /// <summary>"Payroll (name:Payroll*); HR (tag:hr)".</summary>
    public static string Describe(IEnumerable<AdminScope> scopes) => string.Join("; ", scopes.Select(s => s.Describe()));
}
