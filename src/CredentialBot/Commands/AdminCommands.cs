using CredentialBot.Actions;
using CredentialBot.Admin;
using CredentialBot.Cards;

namespace CredentialBot.Commands;

/// <summary>Admin commands answer only admins; anyone else gets a polite refusal, and the attempt is audited.</summary>
public sealed class AdminGate(AccessControl access)
{
    public async Task<CommandReply?> RefuseUnlessAdminAsync(CommandRequest request, string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        if (who.IsAdmin)
        {
            return null;
        }

        await access.RefusedAsync(who, null, "Admin:" + command, "Not a CredentialBot admin", null, cancellationToken).ConfigureAwait(false);
        return CommandReply.WithText($"Sorry, **{command}** is for CredentialBot admins. Ask your identity team if you need it; **{CommandNames.MyApps}** and **{CommandNames.Status}** work for everyone.");
    }
}

/// <summary><c>compliance</c>: the tenant's compliance summary as of the last scan (admins).</summary>
public sealed class ComplianceCommand(AdminGate gate, ComplianceHistory history, ComplianceReport report) : IBotCommand
{
    public string Name => CommandNames.Compliance;

    public string Usage => CommandNames.Compliance;

    public string Description => "Admins: the tenant's compliance summary with the most urgent apps and the change since the previous scan.";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (await gate.RefuseUnlessAdminAsync(request, Name, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var (latest, previous) = await history.LatestAsync(cancellationToken).ConfigureAwait(false);
        latest ??= await report.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        return CommandReply.WithCard(ComplianceCard.Build(latest, previous));
    }
}
