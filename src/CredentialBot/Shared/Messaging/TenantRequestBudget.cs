using System.Globalization;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// The tenant's budget for every request the bot makes to the Bot Connector (sends, replies, redraws, new 1:1
/// conversations, roster reads, and each retry of any of them), shared by every instance through the store. Each
/// request waits for its paced slot (<see cref="SendPacing"/>), then is admitted by the hard limit
/// (<see cref="ConnectorRequestWindow"/>: at most <see cref="SendLimitOptions.TenantSendsPerSecond"/> counted from
/// admission until a second after the answer), which is what holds at the Connector when a stalled machine delivers
/// requests late and together. The bot serves one tenant (<c>Bot:MicrosoftAppTenantId</c>), so there is one budget.
/// A reply to a person (<see cref="ReplyDeadline"/>) that cannot be admitted before its deadline is shed
/// (<see cref="ConnectorRequestShedException"/>): nothing is sent, and no slot is held for it.
/// </summary>
public sealed partial class TenantRequestBudget(
    SendPacing pacing,
    IOptions<SendLimitOptions> limits,
    IOptions<BotAuthOptions> bot,
    TimeProvider time,
    IServiceScopeFactory scopes,
    ILogger<TenantRequestBudget> logger) : IConnectorRequestBudget
{
    private readonly string _tenant = bot.Value.MicrosoftAppTenantId ?? string.Empty;
    private readonly int _limit = limits.Value.TenantSendsPerSecond;

    public async ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        // What a person waits for goes ahead of proactive sends; a reply (ReplyDeadline) is shed rather than sent too late.
        var deadline = ReplyDeadline.Current;
        var forPerson = InteractiveSends.Current;
        while (true)
        {
            if (deadline is not { } due)
            {
                await pacing.WaitForSlotAsync(_tenant, forPerson, cancellationToken);
            }
            else if (await pacing.TryWaitForSlotAsync(_tenant, due, cancellationToken) is null)
            {
                throw Shed(due);
            }

            ConnectorRequestAdmission admission;
            await using (var scope = scopes.CreateAsyncScope())
            {
                admission = await scope.ServiceProvider.GetRequiredService<ConnectorRequestWindow>().TryStartAsync(_tenant, _limit, cancellationToken);
            }

            if (admission.Id is { } id)
            {
                return new Permit(this, id);
            }

            if (deadline is { } late && time.GetUtcNow() + admission.RetryAfter > late)
            {
                throw Shed(late);
            }

            LogHeldBack(logger, _limit, admission.RetryAfter.TotalMilliseconds);
            await Task.Delay(admission.RetryAfter, time, cancellationToken);
        }
    }

    private static ConnectorRequestShedException Shed(DateTimeOffset deadline) =>
        new(string.Create(CultureInfo.InvariantCulture, $"No Connector slot for this reply before {deadline:O}."));

    private async ValueTask EndAsync(long id)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ConnectorRequestWindow>().EndAsync(id, CancellationToken.None);
        }
#pragma warning disable CA1031 // The request is over either way; unmarked, it stays counted until ConnectorRequestWindow.InFlightAtMost.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogEndNotRecorded(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The tenant's {Limit} Connector requests a second are all counted; the next waits {WaitMs:F0} ms")]
    private static partial void LogHeldBack(ILogger logger, int limit, double waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Connector request's end could not be recorded; it stays counted against the tenant's budget for up to a minute")]
    private static partial void LogEndNotRecorded(ILogger logger, Exception exception);

    private sealed class Permit(TenantRequestBudget budget, long id) : IAsyncDisposable
    {
        private int _ended;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _ended, 1) == 0 ? budget.EndAsync(id) : ValueTask.CompletedTask;
    }
}
