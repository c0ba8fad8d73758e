using CredentialBot.BotFramework.Connector;
using CredentialBot.Domain;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Runs once when the host starts: every store statement a digest's send takes (the person's conversation, the
/// team list, what is still due, the claim's renewal, the outcome, the tenant's send slot and its hard window) once,
/// against rows that cannot exist, and gets the Connector token, so the first fan-out after a start does not pay
/// their compilation and the token's round trip on its hot path. Benchmark (d) measured that cost at 1–2 s before the first request of a pass on a fresh process with two
/// instances, most of the budget the run lost. Nothing is changed for anyone: the claim and outcome statements match
/// no row, the send slot and the window are asked for <see cref="Tenant"/>, a tenant no request is ever made for,
/// and the window is asked with a limit of 0, so it admits nothing. Best effort: a store that is not reachable or
/// not migrated yet is only logged, and the first pass pays the cost as before. Hosts that dispatch no digests skip it.
/// </summary>
public sealed partial class SendPathWarmUp(
    IServiceScopeFactory scopes,
    IOptions<NotificationOptions> notifications,
    IOptions<SendLimitOptions> limits,
    TimeProvider time,
    ILogger<SendPathWarmUp> logger) : BackgroundService
{
    /// <summary>The tenant the warm-up's slot and window are asked for: not a tenant id, so no real budget is touched.</summary>
    public const string Tenant = "(send path warm-up)";

    private const string Nobody = "(send path warm-up)";

    /// <summary>Runs the statements once, in a scope of its own.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var references = services.GetRequiredService<ConversationReferenceStore>();
        await references.FindPersonalAsync(Nobody, cancellationToken);
        await references.ListChannelsAsync(cancellationToken);
        await services.GetRequiredService<DigestView>().StillDueAsync([new Notice(Nobody, RecipientRole.TechnicalOwner, Nobody, Nobody, Nobody, 0)], cancellationToken);
        await services.GetRequiredService<PolicyStore>().GetPolicyForAsync(new App(Nobody, Nobody, Nobody, AppKind.Application, [], []), cancellationToken);
        var outbox = services.GetRequiredService<Outbox>();
        OutboxMessageRecord[] none = [new() { Id = -1, DedupKey = Nobody, RecipientObjectId = Nobody, Payload = "{}", ClaimedBy = Nobody, ClaimedUntil = time.GetUtcNow() }];
        await outbox.RenewClaimAsync(none, TimeSpan.FromSeconds(1), cancellationToken);
        await outbox.MarkSentAsync([-1], null, cancellationToken);
        await services.GetRequiredService<SendBudget>().TryReserveWithinAsync(Tenant, limits.Value.PacedSendsPerSecond + 1, SendPacing.Horizon, cancellationToken);
        await services.GetRequiredService<ConnectorRequestWindow>().TryStartAsync(Tenant, limit: 0, cancellationToken);

        // The Connector client's handler chain, and its token: acquired from Entra and cached, so the first send does not
        // wait for a round trip to the identity platform (local mode has none to get).
        services.GetRequiredService<IConnectorClient>();
        await services.GetRequiredService<ConnectorTokenSource>().GetAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifications.Value.DispatcherEnabled)
        {
            // This host sends no digests.
            return;
        }

        // Off the start-up path: the host does not wait for this.
        await Task.Yield();
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
#pragma warning disable CA1031 // Best effort: the first pass then compiles what it needs, as it always could.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogWarmUpFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The send path could not be warmed up at start; the first digests of the first pass will start a little later")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);
}
