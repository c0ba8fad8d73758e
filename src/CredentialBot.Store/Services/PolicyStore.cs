using System.Globalization;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Policies and which App each applies to. The most specific assignment wins:
/// an assignment to the App itself (appId or object id) beats a tag, a tag beats a display-name pattern,
/// a pattern beats the default for the App's kind, and without any of those <see cref="Policy.Default"/> applies.
/// Ties within one level go to the policy with the lowest id (the one created first), so the result is stable.
/// </summary>
public sealed class PolicyStore(CredentialBotDbContext db)
{
    public const string DefaultApplicationsPolicy = "Default app registrations";
    public const string DefaultServicePrincipalsPolicy = "Default enterprise applications";

    /// <summary>
    /// Every assignment with its policy, in policy-id order (ties go to the policy created first). Compiled once: it runs
    /// for every status card, digest and rotation, and a call should not turn the expression into SQL again.
    /// </summary>
    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, IAsyncEnumerable<PolicyAssignmentRecord>>> AllAssignments = new(() =>
        EF.CompileAsyncQuery<CredentialBotDbContext, PolicyAssignmentRecord>(context => context.PolicyAssignments.AsNoTracking().Include(a => a.Policy).OrderBy(a => a.PolicyId)));

    public async Task<Policy> GetPolicyForAsync(App app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        return (await GetResolverAsync(cancellationToken).ConfigureAwait(false))(app);
    }

    /// <summary>
    /// Every assignment loaded once (one statement), for resolving one App or many (a scan, a digest): the most specific
    /// matching assignment's policy, or <see cref="Policy.Default"/>.
    /// </summary>
    public async Task<Func<App, Policy>> GetResolverAsync(CancellationToken cancellationToken = default)
    {
        var assignments = new List<PolicyAssignmentRecord>();
        await foreach (var assignment in AllAssignments.For(db)(db).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            assignments.Add(assignment);
        }

        var policies = assignments.Select(a => a.Policy).OfType<PolicyRecord>().DistinctBy(p => p.Id).ToDictionary(p => p.Id, ToDomain);
        var selectors = assignments.Select(a => (Selected: SelectorOf(a), Policy: policies[a.PolicyId])).ToArray();
        // A scan resolves every App of the tenant: one pass, nothing allocated. Of equally specific matches the first wins.
        return app =>
        {
            var (policy, rank) = (Policy.Default, 0);
            foreach (var ((selector, specificity), assigned) in selectors)
            {
                if (specificity > rank && selector.Matches(app))
                {
                    (policy, rank) = (assigned, specificity);
                }
            }

            return policy;
        };
    }

    /// <summary>
    /// Creates or replaces a policy by name; an invalid policy is refused with every problem named, and nothing is stored.
    /// One upsert statement, so admins saving the same policy at once all succeed and the last save stands.
    /// </summary>
    public async Task SaveAsync(Policy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Policy '{policy.Name}' cannot be saved: {string.Join(" ", problems)}", nameof(policy));
        }

        await WriteAsync(policy, replace: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Assigns a saved policy; a target value has one policy at a time (re-assigning moves it). One upsert statement, so
    /// admins assigning the same target at once all succeed and the last assignment stands.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No policy has that name.</exception>
    public async Task AssignAsync(string policyName, AssignmentTarget target, string value, CancellationToken cancellationToken = default)
    {
        if (await AssignAsync(policyName, target, value, replace: true, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new KeyNotFoundException($"No policy named '{policyName}'.");
        }
    }

    /// <summary>
    /// Seeds a default policy for each kind of App, assigned as that kind's default, where the store lacks them: a
    /// policy is created only if none has its name, an assignment only if the kind has none (an admin's edits and
    /// re-assignments stay). Every instance runs it at start, several at once, so each row is one
    /// <c>INSERT … ON CONFLICT DO NOTHING</c> (the same SQL on SQLite and PostgreSQL): no read-then-insert race, and no
    /// error for the instance that finds the rows already there.
    /// </summary>
    public Task EnsureDefaultsAsync(CancellationToken cancellationToken = default) =>
        db.InTransactionAsync(
            async ct =>
            {
                await WriteAsync(Policy.Default with { Name = DefaultApplicationsPolicy }, replace: false, ct).ConfigureAwait(false);
                // Enterprise apps usually have no Entra owner in practice; a technical owner is what matters.
                await WriteAsync(Policy.Default with { Name = DefaultServicePrincipalsPolicy, MinimumEntraOwners = 0 }, replace: false, ct).ConfigureAwait(false);
                await AssignAsync(DefaultApplicationsPolicy, AssignmentTarget.AppKindDefault, nameof(AppKind.Application), replace: false, ct).ConfigureAwait(false);
                await AssignAsync(DefaultServicePrincipalsPolicy, AssignmentTarget.AppKindDefault, nameof(AppKind.ServicePrincipal), replace: false, ct).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>All policies, by name.</summary>
    public async Task<IReadOnlyList<Policy>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.Policies.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken).ConfigureAwait(false)).Select(ToDomain)];

    /// <summary>What each policy is assigned to, as "target: value" lines, by policy name.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AssignmentsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.PolicyAssignments.AsNoTracking().Include(a => a.Policy).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(a => a.Policy!.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.OrderByDescending(a => a.Target).Select(a => $"{a.Target}: {a.Value}")], StringComparer.Ordinal);
    }

    /// <summary>What each policy is assigned to, as the selectors an admin scope is compared with, by policy name.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<AppSelector>>> AssignedSelectorsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.PolicyAssignments.AsNoTracking().Include(a => a.Policy).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(a => a.Policy!.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AppSelector>)[.. g.OrderByDescending(a => a.Target).Select(a => SelectorOf(a).Selector)], StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes a policy's row in one statement (the same SQL on SQLite and PostgreSQL): <paramref name="replace"/> replaces
    /// a policy of that name, otherwise it is left as it is.
    /// </summary>
    private Task<int> WriteAsync(Policy policy, bool replace, CancellationToken cancellationToken)
    {
        var r = new PolicyRecord { Name = policy.Name, ExpiryStagesDays = string.Empty };
        Fill(r, policy);
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "Policies" ("Name", "ExpiryStagesDays", "MinimumEntraOwners", "MinimumTechnicalOwners", "MinimumBusinessOwners",
                "MaximumSecretLifetimeTicks", "RotationGracePeriodTicks", "OwnerReplacementGracePeriodTicks", "ElevationJustificationRequired", "ElevationTicketRequired",
                "ElevationMaximumDurationTicks", "ElevationApprovalRequired", "ApprovalChannelId", "AutomaticRotationDays", "AutomaticRotationUseWindowDays")
            VALUES ({r.Name}, {r.ExpiryStagesDays}, {r.MinimumEntraOwners}, {r.MinimumTechnicalOwners}, {r.MinimumBusinessOwners},
                {r.MaximumSecretLifetimeTicks}, {r.RotationGracePeriodTicks}, {r.OwnerReplacementGracePeriodTicks}, {r.ElevationJustificationRequired}, {r.ElevationTicketRequired},
                {r.ElevationMaximumDurationTicks}, {r.ElevationApprovalRequired}, {r.ApprovalChannelId}, {r.AutomaticRotationDays}, {r.AutomaticRotationUseWindowDays})
            ON CONFLICT ("Name") DO UPDATE SET
                "ExpiryStagesDays" = excluded."ExpiryStagesDays", "MinimumEntraOwners" = excluded."MinimumEntraOwners",
                "MinimumTechnicalOwners" = excluded."MinimumTechnicalOwners", "MinimumBusinessOwners" = excluded."MinimumBusinessOwners",
                "MaximumSecretLifetimeTicks" = excluded."MaximumSecretLifetimeTicks", "RotationGracePeriodTicks" = excluded."RotationGracePeriodTicks",
                "OwnerReplacementGracePeriodTicks" = excluded."OwnerReplacementGracePeriodTicks",
                "ElevationJustificationRequired" = excluded."ElevationJustificationRequired", "ElevationTicketRequired" = excluded."ElevationTicketRequired",
                "ElevationMaximumDurationTicks" = excluded."ElevationMaximumDurationTicks", "ElevationApprovalRequired" = excluded."ElevationApprovalRequired",
                "ApprovalChannelId" = excluded."ApprovalChannelId", "AutomaticRotationDays" = excluded."AutomaticRotationDays",
                "AutomaticRotationUseWindowDays" = excluded."AutomaticRotationUseWindowDays"
            WHERE {replace}
            """,
            cancellationToken);
    }

    /// <summary>
    /// Assigns in one statement; 0 when no policy has that name. <paramref name="replace"/> moves an existing assignment
    /// of the target, otherwise it is left as it is.
    /// </summary>
    private Task<int> AssignAsync(string policyName, AssignmentTarget target, string value, bool replace, CancellationToken cancellationToken)
    {
        var targetName = target.ToString();
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "PolicyAssignments" ("PolicyId", "Target", "Value")
            SELECT "Id", {targetName}, {value} FROM "Policies" WHERE "Name" = {policyName}
            ON CONFLICT ("Target", "Value") DO UPDATE SET "PolicyId" = excluded."PolicyId" WHERE {replace}
            """,
            cancellationToken);
    }

    private static void Fill(PolicyRecord record, Policy policy)
    {
        record.ExpiryStagesDays = string.Join(',', policy.ExpiryStagesDays.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        record.MinimumEntraOwners = policy.MinimumEntraOwners;
        record.MinimumTechnicalOwners = policy.MinimumTechnicalOwners;
        record.MinimumBusinessOwners = policy.MinimumBusinessOwners;
        record.MaximumSecretLifetimeTicks = policy.MaximumSecretLifetime.Ticks;
        record.RotationGracePeriodTicks = policy.RotationGracePeriod.Ticks;
        record.OwnerReplacementGracePeriodTicks = policy.OwnerReplacementGracePeriod.Ticks;
        record.ElevationJustificationRequired = policy.Elevation.JustificationRequired;
        record.ElevationTicketRequired = policy.Elevation.TicketRequired;
        record.ElevationMaximumDurationTicks = policy.Elevation.MaximumDuration.Ticks;
        record.ElevationApprovalRequired = policy.Elevation.ApprovalRequired;
        record.ApprovalChannelId = policy.ApprovalChannelId;
        record.AutomaticRotationDays = policy.AutomaticRotation?.DaysBeforeExpiry;
        record.AutomaticRotationUseWindowDays = policy.AutomaticRotation?.UseWindowDays;
    }

    /// <summary>The assignment as a selector, and how specific it is: an App beats a tag beats a name pattern beats a kind.</summary>
    private static (AppSelector Selector, int Rank) SelectorOf(PolicyAssignmentRecord assignment) => assignment.Target switch
    {
        AssignmentTarget.App => (new AppSelector(AppSelectorKind.App, assignment.Value), 4),
        AssignmentTarget.Tag => (new AppSelector(AppSelectorKind.Tag, assignment.Value), 3),
        AssignmentTarget.NamePattern => (new AppSelector(AppSelectorKind.NamePattern, assignment.Value), 2),
        _ => (new AppSelector(AppSelectorKind.Kind, assignment.Value), 1),
    };

    /// <summary>A display-name pattern with <c>*</c> wildcards, case-insensitive, matching the whole name.</summary>
    public static bool MatchesPattern(string name, string pattern) => AppSelector.MatchesPattern(name, pattern);

    private static Policy ToDomain(PolicyRecord record) => new(
        record.Name,
        [.. record.ExpiryStagesDays.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
        record.MinimumEntraOwners,
        record.MinimumTechnicalOwners,
        record.MinimumBusinessOwners,
        TimeSpan.FromTicks(record.MaximumSecretLifetimeTicks),
        TimeSpan.FromTicks(record.RotationGracePeriodTicks),
        new ElevationSettings(record.ElevationJustificationRequired, record.ElevationTicketRequired, TimeSpan.FromTicks(record.ElevationMaximumDurationTicks), record.ElevationApprovalRequired),
        record.ApprovalChannelId)
    {
        OwnerReplacementGracePeriod = TimeSpan.FromTicks(record.OwnerReplacementGracePeriodTicks),
        AutomaticRotation = record is { AutomaticRotationDays: { } days, AutomaticRotationUseWindowDays: { } window } ? new AutomaticRotation(days, window) : null,
    };
}
