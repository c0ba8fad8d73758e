using CredentialBot.Actions;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Cards;
using CredentialBot.Commands;
using CredentialBot.Domain;
using CredentialBot.Scanning;

namespace CredentialBot.Admin;

/// <summary>The card of a scan started from the chat, redrawn as it runs and when it ends.</summary>
public static class ScanCard
{
    public static AdaptiveCard Running(string by, ScanProgress? progress) => CardParts.Card(
    [
        CardParts.Heading("Scanning the tenant…"),
        CardParts.Text(progress is null
            ? $"Started by {CardText.Literal(by, 60)}. This card updates as the scan runs."
            : $"Started by {CardText.Literal(by, 60)}. {(progress.Collection == AppKind.Application ? "App registrations" : "Enterprise applications")}: {progress.AppsStored} {(progress.Mode == ScanMode.Delta ? "changed apps" : "apps")} stored so far."),
    ]);

    public static AdaptiveCard Finished(string by, ScanResult result, ComplianceSummary summary) => CardParts.Card(
        [
            CardParts.Heading("Scan finished"),
            CardParts.Facts(
                ("Started by", CardText.Literal(by, 60)),
                ("App registrations", $"{result.Applications} {(result.ApplicationsMode == ScanMode.Delta ? "changed (delta)" : "read")}"),
                ("Enterprise applications", $"{result.ServicePrincipals} {(result.ServicePrincipalsMode == ScanMode.Delta ? "changed (delta)" : "read")}"),
                ("Took", $"{result.Duration.TotalSeconds:F1} s"),
                ("New notices", result.NoticesPlanned.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Compliant", $"{summary.Compliant} of {summary.Total}")),
        ],
        [CardParts.Command("Compliance summary", CommandNames.Compliance)]);

    public static AdaptiveCard Failed(string by) => ActionCards.Notice("Scan failed", $"The scan started by {CardText.Literal(by, 60)} failed; the details are in the bot's log. The next scheduled scan will try again.", Urgency.Critical);
}

/// <summary>
/// Runs a scan started from the chat in the background (the message's HTTP request must end quickly), under the
/// same lease as scheduled scans, and redraws its card with progress and the result.
/// </summary>
public sealed partial class BackgroundScans(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<BackgroundScans> logger)
{
    private const string LeaseName = "scanner";

    public void Start(PostedCard card, string by)
    {
        ArgumentNullException.ThrowIfNull(card);
        _ = Task.Run(() => RunAsync(card, by, lifetime.ApplicationStopping));
    }

    private async Task RunAsync(PostedCard card, string by, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var messenger = services.GetRequiredService<Messenger>();
        var holder = "chat:" + Guid.NewGuid().ToString("N");
        var leases = services.GetRequiredService<LeaseStore>();
        try
        {
            if (!await leases.TryAcquireAsync(LeaseName, holder, TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false))
            {
                await messenger.UpdateAsync(card, ActionCards.Notice("A scan is already running", "Another scan holds the scanner; its results will be in the next compliance summary."), cancellationToken).ConfigureAwait(false);
                return;
            }

            var lastUpdate = DateTimeOffset.MinValue;
            var time = services.GetRequiredService<TimeProvider>();
            var progress = new Progress<ScanProgress>(p =>
            {
                // At most one redraw every two seconds: Teams limits edits, and people do not read faster.
                if (time.GetUtcNow() - lastUpdate >= TimeSpan.FromSeconds(2))
                {
                    lastUpdate = time.GetUtcNow();
                    _ = messenger.UpdateAsync(card, ScanCard.Running(by, p), cancellationToken);
                }
            });
            var result = await services.GetRequiredService<ScanJob>().RunOnceAsync(cancellationToken, progress).ConfigureAwait(false);
            var summary = await services.GetRequiredService<ComplianceReport>().SnapshotAsync(cancellationToken).ConfigureAwait(false);
            await messenger.UpdateAsync(card, ScanCard.Finished(by, result, summary), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping; the scheduled scan runs at the next start.
        }
#pragma warning disable CA1031 // A failed chat scan is reported on its card and logged; it must not crash the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex);
            await messenger.UpdateAsync(card, ScanCard.Failed(by), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await leases.ReleaseAsync(LeaseName, holder, CancellationToken.None).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A scan started from the chat failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary><c>scan now</c> (admins): one card that shows the scan's progress and then its result.</summary>
public sealed class ScanNowCommand(AdminGate gate, BackgroundScans scans, AccessControl access) : IBotCommand
{
    public string Name => CommandNames.ScanNow;

    public string Usage => CommandNames.ScanNow;

    public string Description => "Admins: scan the tenant now; the card shows progress and the result.";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await gate.RefuseUnlessAdminAsync(request, Name, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var by = request.Actor.DisplayName ?? "an admin";
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        await access.AuditAsync(who, null, "ScanNow", "Started", null, null, cancellationToken).ConfigureAwait(false);
        return CommandReply.WithCard(ScanCard.Running(by, null)) with { AfterSent = card => scans.Start(card, by) };
    }
}
