using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Ownership;

/// <summary>
/// The janitor's look for owners who left, once per <see cref="OwnershipOptions.DepartureCheckInterval"/> across all
/// instances: technical and business owners are checked in the directory (Entra owners' state comes with each scan);
/// each owner newly found disabled or deleted is claimed and audited in one transaction (up to
/// <see cref="ClaimsPerChange"/> owners together, resting between them while people wait), and the remaining active
/// owners of that App get one <see cref="ReplaceOwnerCard"/> each per round. When the policy's
/// <see cref="Policy.OwnerReplacementGracePeriod"/> passes without a replacement, or nobody active is left to ask, the
/// admin channel hears of it once (<see cref="UnreplacedOwnersCard"/>). An owner enabled again, removed or replaced
/// simply stops being a departure.
/// </summary>
public sealed partial class OwnerDepartures(
    OwnerDepartureStore departures,
    LeaseStore leases,
    ITenantDirectory directory,
    AppCatalog catalog,
    PolicyStore policies,
    Messenger messenger,
    AuditTrail audit,
    PeopleWaiting people,
    TimeProvider time,
    IOptions<OwnershipOptions> options,
    IOptions<NotificationOptions> notifications,
    ILogger<OwnerDepartures> logger) : IJanitorChore
{
    /// <summary>
    /// A lease nobody renews or releases: whoever takes it does the look, and nobody can take it again until the
    /// interval has passed, so the look happens once per interval however many instances run the janitor.
    /// </summary>
    public const string LeaseName = "owner-departures";

    /// <summary>
    /// Departures claimed in one transaction with their events. A first look over a large tenant finds thousands at
    /// once; one transaction each took SQLite's write lock from people thousands of times in a row (P5 saw every kind
    /// of answer wait up to a second for three seconds), while a hundred hold it a few milliseconds.
    /// </summary>
    public const int ClaimsPerChange = 100;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var holder = $"owner departures on {Environment.MachineName}, process {Environment.ProcessId}, at {now.UtcTicks}";
        if (!await leases.TryAcquireAsync(LeaseName, holder, options.Value.DepartureCheckInterval, cancellationToken))
        {
            return;
        }

        await RefreshKeptOwnersAsync(cancellationToken);
        await departures.ForgetReturnedAsync(cancellationToken);
        var found = await departures.NewAsync(now, cancellationToken);
        var waiting = await departures.WaitingAsync(cancellationToken);
        if (found.Count == 0 && waiting.Count == 0)
        {
            return;
        }

        var apps = (await catalog.GetManyAsync([.. found.Concat(waiting).Select(d => d.AppObjectId).Distinct(StringComparer.Ordinal)], cancellationToken))
            .ToDictionary(a => a.ObjectId, StringComparer.Ordinal);
        var policyOf = await policies.GetResolverAsync(cancellationToken);
        var asks = new Dictionary<string, List<(App, OwnerDeparture, DateTimeOffset)>>(StringComparer.Ordinal);
        var unreplaced = new List<(App, OwnerDeparture, string)>();

        foreach (var batch in found.Where(d => apps.ContainsKey(d.AppObjectId)).Chunk(ClaimsPerChange))
        {
            var started = time.GetTimestamp();
            foreach (var (app, departure, remaining, replaceBy) in await ClaimAsync(batch, apps, policyOf, now, cancellationToken))
            {
                if (remaining.Count == 0)
                {
                    unreplaced.Add((app, departure, "Nobody active is left to replace them."));
                    continue;
                }

                foreach (var person in remaining)
                {
                    (asks.TryGetValue(person, out var list) ? list : asks[person] = []).Add((app, departure, replaceBy));
                }
            }

            await people.RestAfterAsync(time.GetElapsedTime(started), 1, time, cancellationToken);
        }

        foreach (var departure in waiting)
        {
            if (apps.TryGetValue(departure.AppObjectId, out var app)
                && departure.FoundAt + policyOf(app).OwnerReplacementGracePeriod is var replaceBy && replaceBy <= now)
            {
                unreplaced.Add((app, departure, $"Not replaced by {CardText.Date(replaceBy)}, the policy's {policyOf(app).OwnerReplacementGracePeriod.TotalDays:0} days."));
            }
        }

        foreach (var (person, list) in asks)
        {
            var summary = list.Count == 1 ? $"Replace {list[0].Item2.Owner.DisplayName} on {list[0].Item1.DisplayName}" : $"{list.Count} owners to replace";
            if (await messenger.SendToPersonAsync(person, ReplaceOwnerCard.Build(list), summary, cancellationToken) is null)
            {
                LogOwnerNotReached(logger, person, list.Count);
            }
        }

        await TellAdminsAsync(unreplaced, now, cancellationToken);
    }

    /// <summary>
    /// Reads every kept technical and business owner from the directory. A read that fails changes nothing: a person
    /// missing from a failed answer would look deleted.
    /// </summary>
    private async Task RefreshKeptOwnersAsync(CancellationToken cancellationToken)
    {
        var people = await departures.KeptOwnersAsync(cancellationToken);
        if (people.Count == 0)
        {
            return;
        }

        IReadOnlyDictionary<string, Person> found;
        try
        {
            found = await directory.GetPeopleAsync(people, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Microsoft.Kiota.Abstractions.ApiException)
        {
            LogDirectoryUnread(logger, people.Count, ex);
            return;
        }

        var changed = await departures.ApplyDirectoryAsync(people, found, cancellationToken);
        LogDirectoryRead(logger, people.Count, changed);
    }

    /// <summary>
    /// Claims a batch of departures in one transaction, each with its audit event: all of them or, should the store
    /// fail, none (the next round finds them again). A departure another instance claimed is left alone.
    /// </summary>
    private async Task<List<(App App, OwnerDeparture Departure, List<string> Remaining, DateTimeOffset ReplaceBy)>> ClaimAsync(
        OwnerDeparture[] batch, Dictionary<string, App> apps, Func<App, Policy> policyOf, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = new List<(App, OwnerDeparture, List<string>, DateTimeOffset)>();
        await audit.BeginChangeAsync(cancellationToken);
        foreach (var departure in batch)
        {
            if (!await departures.ClaimAsync(departure.Id, now, cancellationToken))
            {
                continue;
            }

            var app = apps[departure.AppObjectId];
            var replaceBy = now + policyOf(app).OwnerReplacementGracePeriod;
            var remaining = app.Owners.Where(o => !o.IsInactive).Select(o => o.ObjectId).Distinct(StringComparer.Ordinal).ToList();
            var owner = departure.Owner;
            var what = $"{owner.DisplayName} ({owner.ObjectId}), {CardText.OwnerKindInSentence(owner.Kind)}, is {(owner.Deleted ? "deleted" : "disabled")}; "
                + (remaining.Count == 0 ? "no active owner is left to ask" : $"asked {remaining.Count} remaining owner(s) to replace them by {CardText.Date(replaceBy)}");
            await audit.StageAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.AskOwnerReplacement, AuditOutcome.Succeeded, what, cancellationToken);
            claimed.Add((app, departure, remaining, replaceBy));
        }

        if (claimed.Count == 0)
        {
            await audit.AbandonChangeAsync();
        }
        else
        {
            await audit.CommitChangeAsync(cancellationToken);
        }

        return claimed;
    }

    private async Task TellAdminsAsync(List<(App App, OwnerDeparture Departure, string Why)> unreplaced, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = new List<(App App, OwnerDeparture Departure, string Why)>();
        foreach (var item in unreplaced)
        {
            if (await departures.ClaimEscalationAsync(item.Departure.Id, now, cancellationToken))
            {
                claimed.Add(item);
            }
        }

        if (claimed.Count == 0)
        {
            return;
        }

        var channel = notifications.Value.AdminChannelConversationId;
        var delivered = channel is { Length: > 0 }
            && await messenger.SendToConversationAsync(channel, UnreplacedOwnersCard.Build(claimed), "Owners who left were not replaced", cancellationToken) is not null;
        foreach (var (app, departure, why) in claimed)
        {
            if (!delivered && channel is { Length: > 0 })
            {
                // The channel did not take it: a later round tries again rather than recording a message nobody saw.
                await departures.ReleaseEscalationAsync(departure.Id, cancellationToken);
                continue;
            }

            var how = delivered ? "told the admin channel" : "no admin channel is configured to tell";
            await audit.RecordAsync(AuditTrail.Bot, app.ObjectId, AuditOperation.OwnerNotReplaced, delivered ? AuditOutcome.Succeeded : AuditOutcome.Undeliverable, $"{departure.Owner.DisplayName} ({departure.Owner.ObjectId}): {why} {how}", cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked {People} kept owners in the directory; {Changed} owner rows changed state")]
    private static partial void LogDirectoryRead(ILogger logger, int people, int changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read {People} kept owners from the directory; their state is left as it was")]
    private static partial void LogDirectoryUnread(ILogger logger, int people, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner {Person} has no chat with the bot yet; not asked to replace {Count} departed owner(s)")]
    private static partial void LogOwnerNotReached(ILogger logger, string person, int count);
}
