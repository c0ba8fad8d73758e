using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.Domain;
using CredentialBot.Store;

namespace CredentialBot.Notifications;

/// <summary>The outbox payload of one notice. Only ids and the stage: the card is rebuilt from the store when sent.</summary>
[JsonSerializable(typeof(Notice))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;

/// <summary>
/// After a scan: walks the catalog a page at a time (it includes the technical and business owners kept in the
/// store, which the directory does not know), evaluates each App against its policy, and writes the notices to
/// the outbox. Each page is one transaction, and the outbox takes each dedup key once, so re-running a scan — or
/// crashing half-way and running it again — plans nothing twice.
/// </summary>
public sealed partial class NotificationPlanning(CredentialBotDbContext db, AppCatalog catalog, PolicyStore policies, Outbox outbox, TimeProvider time, ILogger<NotificationPlanning> logger)
{
    private const int PageSize = 500;

    public async Task<int> PlanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var policyFor = await policies.GetResolverAsync(cancellationToken).ConfigureAwait(false);
        var planned = 0;
        string? after = null;
        while (true)
        {
            var page = await catalog.ListPageAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].ObjectId;
            var messages = page
                .SelectMany(app =>
                {
                    var policy = policyFor(app);
                    return NotificationPlanner.Plan(app, policy, PolicyEvaluator.Evaluate(app, policy, now));
                })
                .Select(n => (n.DedupKey, n.RecipientObjectId, JsonSerializer.Serialize(n, NotificationJsonContext.Default.Notice)))
                .ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            planned += await outbox.EnqueueManyAsync(messages, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        LogPlanned(logger, planned);
        return planned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Count} new expiry notices")]
    private static partial void LogPlanned(ILogger logger, int count);
}
