using CredentialBot.Admin.Posture;
using CredentialBot.Admin.Scopes;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Compliance;

/// <summary><c>compliance</c> (admins): the tenant's compliance summary as of the last scan, and what changed since the one before.</summary>
public sealed class ComplianceCommand(ComplianceHistory history, PostureHistory postures, ComplianceReport report, ScopedCompliance scoped, UsageSurveyStore usage) : IBotCommand
{
    public static CommandInfo Info { get; } = new(
        CommandNames.Compliance,
        CommandNames.Compliance,
        "Admins: the tenant's compliance summary with the most urgent apps and the change since the previous scan.",
        AdminOnly: true,
        ScopedAdmins: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (!request.Who.IsAdmin)
        {
            return CommandReply.WithCard(await scoped.CardAsync(request.Who, cancellationToken));
        }

        var (latest, previous) = await history.LatestAsync(cancellationToken);
        latest ??= await report.SnapshotAsync(cancellationToken);
        var card = ComplianceCard.Build(latest, previous);
        var (posture, before) = await postures.LatestAsync(cancellationToken);
        var survey = await usage.LatestAsync(cancellationToken);
        return CommandReply.WithCard(card with { Body = [.. card.Body, .. UnusedCredentialsSection.Build(survey), .. PostureSection.Build(posture, before)] });
    }
}
