using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>
/// What a digest says now: for each App, what its current state (in the store) calls for under its policy. Things
/// change between planning and sending, and between sending and a click — a credential rotated, an owner replaced — so
/// a digest is always drawn from this, never from what was planned.
/// </summary>
public sealed class DigestView(AppCatalog catalog, PolicyStore policies, SnoozeStore snoozes, AutomaticRotationStore automaticRotations, TimeProvider time)
{
    /// <summary>What <paramref name="person"/> is told now about the Apps of a digest, in the digest's order.</summary>
    /// <param name="person">The reader.</param>
    /// <param name="appObjectIds">The digest's Apps.</param>
    /// <param name="read">
    /// Apps the caller has just read from the store and not written since (a Snooze checked its App, then wrote only the
    /// pause): used as they are, the others are read. Never pass an App read before a write to it.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<IReadOnlyList<DigestItem>> ForPersonAsync(string person, IReadOnlyList<string> appObjectIds, IReadOnlyCollection<App> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appObjectIds);
        var items = new List<DigestItem>();
        foreach (var planned in await PlanAsync(appObjectIds, read, cancellationToken))
        {
            IReadOnlyList<Notice> mine = [.. planned.Notices.Where(n => n.RecipientObjectId == person)];
            if (mine.Count > 0)
            {
                items.Add(planned with { Notices = mine });
            }
        }

        return items;
    }

    /// <summary>
    /// Of notices planned earlier, those the Apps' current state still calls for and no pause silences, grouped by App,
    /// most urgent App first.
    /// </summary>
    public async Task<IReadOnlyList<DigestItem>> StillDueAsync(IReadOnlyList<Notice> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var apps = notices.Select(n => n.AppObjectId).Distinct(StringComparer.Ordinal).ToList();
        var paused = await PausedNotices.ForAsync(snoozes, apps, cancellationToken);
        var items = new List<DigestItem>();
        foreach (var planned in await PlanAsync(apps, [], cancellationToken))
        {
            // The notice as the App's state calls for it now: a notice that waited (its person could not be reached)
            // shows the stage the credential is in today, and a credential that waited through two stages shows once.
            var asked = notices.Where(n => n.AppObjectId == planned.App.ObjectId).Select(n => (n.RecipientObjectId, n.CredentialKeyId)).ToHashSet();
            IReadOnlyList<Notice> current = [.. planned.Notices.Where(n => asked.Contains((n.RecipientObjectId, n.CredentialKeyId)) && !paused.Silences(n))];
            if (current.Count > 0)
            {
                items.Add(planned with { Notices = current });
            }
        }

        return [.. items.OrderBy(i => i.Notices.Min(n => n.Urgency)).ThenBy(i => i.App.DisplayName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// Every notice each App's current state calls for (the Apps the store still has), with its policy's name, in the
    /// order of <paramref name="appObjectIds"/>: the Apps not in <paramref name="read"/> in one read, every policy in one.
    /// </summary>
    private async Task<List<DigestItem>> PlanAsync(IEnumerable<string> appObjectIds, IReadOnlyCollection<App> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = time.GetUtcNow();
        var ids = appObjectIds.Distinct(StringComparer.Ordinal).ToList();
        var automatic = (await automaticRotations.ForAppsAsync(ids, cancellationToken)).ToLookup(r => r.AppObjectId, StringComparer.Ordinal);
        var apps = read.Where(a => ids.Contains(a.ObjectId, StringComparer.Ordinal)).DistinctBy(a => a.ObjectId, StringComparer.Ordinal).ToDictionary(a => a.ObjectId, StringComparer.Ordinal);
        foreach (var app in await catalog.GetManyAsync([.. ids.Where(id => !apps.ContainsKey(id))], cancellationToken))
        {
            apps[app.ObjectId] = app;
        }

        if (apps.Count == 0)
        {
            return [];
        }

        var policyFor = await policies.GetResolverAsync(cancellationToken);
        var planned = new List<DigestItem>();
        foreach (var appObjectId in ids)
        {
            if (apps.TryGetValue(appObjectId, out var app))
            {
                var policy = policyFor(app);
                planned.Add(new DigestItem(app, NotificationPlanner.Plan(app, policy, PolicyEvaluator.Evaluate(app, policy, now)), policy.Name)
                {
                    RotatedAutomatically = [.. automatic[appObjectId].Where(r => app.Credentials.Any(c => c.KeyId == r.OldKeyId))],
                });
            }
        }

        return planned;
    }
}
