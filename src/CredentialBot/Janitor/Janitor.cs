using CredentialBot.Actions;
using CredentialBot.Cards;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Janitor;

/// <summary>Section "Janitor": how often it runs, and whether it runs in this instance.</summary>
public sealed class JanitorOptions
{
    public const string SectionName = "Janitor";

    public bool Enabled { get; set; } = true;

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// One round of clean-up: removes old secrets whose grace period is over (Graph removePassword), ends grants and
/// tells their holders, and expires requests nobody decided. Each item is claimed by a conditional update, so
/// running it on several instances at once still handles each exactly once.
/// </summary>
public sealed partial class JanitorRound(
    SecretRemovalStore removals,
    GrantStore grants,
    AccessRequestStore requests,
    ITenantAdministration administration,
    AppRefresher refresher,
    AuditLog audit,
    Messenger messenger,
    TimeProvider time,
    ILogger<JanitorRound> logger)
{
    private const string Actor = "CredentialBot";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var removal in await removals.DueAsync(now, 100, cancellationToken).ConfigureAwait(false))
        {
            bool removed;
            try
            {
                removed = await administration.RemoveSecretAsync(removal.AppKind, removal.AppObjectId, removal.KeyId, cancellationToken).ConfigureAwait(false);
            }
            catch (ODataError error)
            {
                // Left scheduled: the next round tries again.
                LogRemovalFailed(logger, removal.AppObjectId, error);
                continue;
            }

            if (await removals.FinishAsync(removal.Id, removed ? SecretRemovalStatus.Removed : SecretRemovalStatus.AlreadyGone, now, cancellationToken).ConfigureAwait(false))
            {
                await audit.AppendAsync(new AuditEvent(Actor, Actor, removal.AppObjectId, AuditOperations.RemoveOldSecret, removed ? "Succeeded" : "AlreadyGone", $"{removal.CredentialName ?? removal.KeyId} ({removal.KeyId}), rotated by {removal.RequestedByName ?? removal.RequestedByObjectId}", null, now), cancellationToken).ConfigureAwait(false);
                await refresher.RefreshAsync(removal.AppKind, removal.AppObjectId, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var grant in await grants.ClaimEndedAsync(now, cancellationToken).ConfigureAwait(false))
        {
            await audit.AppendAsync(new AuditEvent(Actor, Actor, grant.AppObjectId, AuditOperations.GrantEnded, "Succeeded", $"{grant.Right} for {grant.PersonObjectId} ended at {grant.EndsAt:yyyy-MM-dd HH:mm} UTC", null, now), cancellationToken).ConfigureAwait(false);
            var text = $"Your elevation ({(grant.Right == AppRight.ManageOwners ? "manage owners" : "rotate credentials")}) ended at {grant.EndsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC.";
            await messenger.SendToPersonAsync(grant.PersonObjectId, ActionCards.Notice("Elevation ended", text), text, cancellationToken).ConfigureAwait(false);
        }

        foreach (var request in await requests.ExpireLapsedAsync(now, cancellationToken).ConfigureAwait(false))
        {
            await audit.AppendAsync(new AuditEvent(Actor, Actor, request.AppObjectId, AuditOperations.RequestExpired, "Expired", $"Request {request.Id} by {request.RequesterName} was not decided in time", request.Ticket, now), cancellationToken).ConfigureAwait(false);
            var text = $"Nobody decided on your request {request.Id} in time, so it expired. You can ask again.";
            await messenger.SendToPersonAsync(request.RequesterObjectId, ActionCards.Notice("Request expired", text), text, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove an old secret of {App}; retrying next round")]
    private static partial void LogRemovalFailed(ILogger logger, string app, Exception exception);
}

/// <summary>Runs <see cref="JanitorRound"/> every interval.</summary>
public sealed partial class JanitorService(IServiceScopeFactory scopes, IOptions<JanitorOptions> options, TimeProvider time, ILogger<JanitorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<JanitorRound>().RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A failed round is logged and retried on the next tick; it must not stop the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Janitor round failed; retrying at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
