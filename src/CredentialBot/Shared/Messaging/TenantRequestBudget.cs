using System.Globalization;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.Store.Services;
using CredentialBot.Telemetry;
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
    ILogger<TenantRequestBudget> logger) : IConnectorRequestBudget, IDisposable
{
    private readonly string _tenant = bot.Value.MicrosoftAppTenantId ?? string.Empty;
    private readonly int _limit = limits.Value.TenantSendsPerSecond;

    /// <summary>
    /// This instance's held-back requests take their turns here, one asking the store at a time. Each would otherwise
    /// wake for the same freed place: one takes it and the rest ask again, a round trip each (five a request with two
    /// instances fanning out, measured in benchmark (d)).
    /// </summary>
    private readonly SemaphoreSlim _heldBack = new(1, 1);

    public async ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        // What a person waits for goes ahead of proactive sends; a reply (ReplyDeadline) is shed rather than sent too late.
        var deadline = ReplyDeadline.Current;
        if (deadline is not { } due)
        {
            await pacing.WaitForSlotAsync(_tenant, InteractiveSends.Current, cancellationToken);
        }
        else if (await pacing.TryWaitForSlotAsync(_tenant, due, cancellationToken) is null)
        {
            throw Shed(due);
        }

        // A reply whose slot was in time can still wake after its deadline (a stalled machine): then it is as late as
        // one that got no slot, and is shed too rather than sent when nobody waits for it any more.
        if (deadline is { } sendBy && time.GetUtcNow() > sendBy)
        {
            throw Shed(sendBy);
        }

        var paced = time.GetTimestamp();
        var admission = await TryStartAsync(cancellationToken);
        if (admission.Id is null)
        {
            // Held back, the request keeps its turn: it asks again when the oldest counted request leaves the window,
            // and takes that place. (Back in the queue of slots it would leave the place empty until the next slot came
            // round, and the budget would run below the limit whenever the slots run at it.)
            var retryAt = time.GetUtcNow() + admission.RetryAfter;
            await _heldBack.WaitAsync(cancellationToken);
            try
            {
                while (admission.Id is null)
                {
                    if (deadline is { } late && retryAt > late)
                    {
                        throw Shed(late);
                    }

                    HostTelemetry.BudgetEvents.Add(1, new KeyValuePair<string, object?>(HostTelemetry.BudgetEventAttribute, "window_refused"));
                    LogHeldBack(logger, _limit, admission.RetryAfter.TotalMilliseconds);
                    if (retryAt - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, cancellationToken);
                    }

                    admission = await TryStartAsync(cancellationToken);
                    retryAt = time.GetUtcNow() + admission.RetryAfter;
                }
            }
            finally
            {
                _heldBack.Release();
            }
        }

        HostTelemetry.BudgetWait.Record(time.GetElapsedTime(paced).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.BudgetStageAttribute, "window"));
        return new Permit(this, admission.Id.Value, time.GetTimestamp());
    }

    public void Dispose() => _heldBack.Dispose();

    private static ConnectorRequestShedException Shed(DateTimeOffset deadline) =>
        new(string.Create(CultureInfo.InvariantCulture, $"No Connector slot for this reply before {deadline:O}."));

    private async Task<ConnectorRequestAdmission> TryStartAsync(CancellationToken cancellationToken)
    {
        var asked = time.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var admission = await scope.ServiceProvider.GetRequiredService<ConnectorRequestWindow>().TryStartAsync(_tenant, _limit, cancellationToken);
        HostTelemetry.BudgetWait.Record(time.GetElapsedTime(asked).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.BudgetStageAttribute, "store"));
        return admission;
    }

    private async ValueTask EndAsync(long id, long admitted)
    {
        HostTelemetry.BudgetWait.Record(time.GetElapsedTime(admitted).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.BudgetStageAttribute, "counted"));
        var asked = time.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ConnectorRequestWindow>().EndAsync(id, CancellationToken.None);
            HostTelemetry.BudgetWait.Record(time.GetElapsedTime(asked).TotalSeconds, new KeyValuePair<string, object?>(HostTelemetry.BudgetStageAttribute, "store"));
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

    private sealed class Permit(TenantRequestBudget budget, long id, long admitted) : IAsyncDisposable
    {
        private int _ended;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _ended, 1) == 0 ? budget.EndAsync(id, admitted) : ValueTask.CompletedTask;
    }
}
