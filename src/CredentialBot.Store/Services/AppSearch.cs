using System.Text;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Substring search over App names and owners' names and user principal names, through an index instead of reading
/// every row: SQLite's FTS5 trigram tables (<c>AppSearch</c>, <c>PeopleSearch</c>) or PostgreSQL's <c>pg_trgm</c> GIN
/// indexes (<see cref="SnapshotIndexes"/>).
/// <para>
/// A trigram index answers "which rows contain these three-character pieces" quickly when few rows do, but a query
/// like "app" in a tenant of "… App …" names matches most of them, and fetching and sorting them all to show ten would
/// read the tenant again. So the index is asked for at most <see cref="SparseLimit"/> candidates first: when it has
/// no more, those candidates are checked and sorted; when it has more, matches are dense, and walking the names in
/// order (the name index) usually finds the first ones after a few rows (<see cref="DenseNamesAsync"/> says when not).
/// </para>
/// </summary>
internal static class AppSearch
{
    internal const int SparseLimit = 1_000;

    /// <summary>How many names, in order, PostgreSQL reads looking for dense matches before sorting the matches instead.</summary>
    internal const int WalkLimit = 5_000;

    /// <summary>Object ids of live Apps whose name contains <paramref name="lower"/> (or starts with it, under three characters), by name.</summary>
    public static async Task<List<string>> NamesAsync(CredentialBotDbContext db, string lower, IReadOnlyCollection<string> exclude, int take, CancellationToken cancellationToken)
    {
        var excluded = exclude.ToList();
        var live = db.Apps.AsNoTracking().Where(a => !a.Deleted && !EF.Parameter(excluded).Contains(a.ObjectId));
        if (RuneCount(lower) < 3)
        {
            return await FirstByNameAsync(StartingWith(db, live, lower), take, cancellationToken).ConfigureAwait(false);
        }

        var candidates = await CandidatesAsync(
            db,
            """SELECT a."ObjectId" AS "Value" FROM "AppSearch" JOIN "Apps" AS a ON a.rowid = "AppSearch".rowid WHERE "AppSearch" MATCH {0} AND NOT a."Deleted" LIMIT {1}""",
            """SELECT "ObjectId" AS "Value" FROM "Apps" WHERE "DisplayNameLower" LIKE {0} AND NOT "Deleted" LIMIT {1}""",
            lower,
            cancellationToken).ConfigureAwait(false);
        if (candidates is null)
        {
            return await DenseNamesAsync(db, live, lower, excluded, take, cancellationToken).ConfigureAwait(false);
        }

        // A name that matched exactly is a candidate too (it contains itself): with nothing else, nothing to ask.
        candidates.RemoveAll(excluded.Contains);
        if (candidates.Count == 0)
        {
            return [];
        }

        return await FirstByNameAsync(live.Where(a => a.DisplayNameLower.Contains(lower) && EF.Parameter(candidates).Contains(a.ObjectId)), take, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first names, in order, among more matches than <see cref="SparseLimit"/>: walking the names in order finds
    /// them after a few rows when matches are spread out. But matches cluster wherever the text is how names begin:
    /// every "Woodgrove …" App sorts last, and a walk for "woodgrove" reads nearly the whole tenant before its first
    /// match. SQLite reads an index row in a fraction of a microsecond and walks on (at 200,000 Apps that is faster than
    /// sorting the full-text index's matches, measured in docs/benchmarks.md). PostgreSQL reads one several times
    /// slower, so there the walk stops after <see cref="WalkLimit"/> names, and if those hold too few matches the
    /// trigram index's matches are sorted by name instead: as many rows as there are matches, not as Apps before them.
    /// </summary>
    private static async Task<List<string>> DenseNamesAsync(CredentialBotDbContext db, IQueryable<AppRecord> live, string lower, List<string> excluded, int take, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return await FirstByNameAsync(live.Where(a => a.DisplayNameLower.Contains(lower)), take, cancellationToken).ConfigureAwait(false);
        }

        var walked = await FirstByNameAsync(
            live.OrderBy(a => a.DisplayNameLower).Take(WalkLimit).Where(a => a.DisplayNameLower.Contains(lower)), take, cancellationToken).ConfigureAwait(false);
        if (walked.Count == take)
        {
            return walked;
        }

        // Materialized, so the planner gathers the matches through the trigram index rather than walking the name index.
        var sorted = await db.Database.SqlQueryRaw<string>(
                """WITH matches AS MATERIALIZED (SELECT "ObjectId", "DisplayNameLower" FROM "Apps" WHERE "DisplayNameLower" LIKE {0} AND NOT "Deleted") SELECT "ObjectId" AS "Value" FROM matches ORDER BY "DisplayNameLower" LIMIT {1}""",
                ContainingPattern(lower),
                take + excluded.Count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. sorted.Where(id => !excluded.Contains(id)).Take(take)];
    }

    /// <summary>
    /// Object ids of live Apps with an owner whose name or user principal name contains <paramref name="lower"/> (three
    /// characters or more), by name. The index holds people (<see cref="PersonRecord"/>): the matching people, then
    /// their owner rows, are read while there are at most <see cref="SparseLimit"/> of each; past that, matches are
    /// dense, and the names are walked in order as for an App's name.
    /// </summary>
    public static async Task<List<string>> OwnersAsync(CredentialBotDbContext db, string lower, IReadOnlyCollection<string> exclude, int take, CancellationToken cancellationToken)
    {
        if (RuneCount(lower) < 3)
        {
            return [];
        }

        var excluded = exclude.ToList();
        var live = db.Apps.AsNoTracking().Where(a => !a.Deleted && !EF.Parameter(excluded).Contains(a.ObjectId));
        var postgresql = db.Database.IsNpgsql();
        var candidates = await db.Database.SqlQueryRaw<PersonCandidate>(
                postgresql
                    ? """SELECT "PersonObjectId", "DisplayName", "UserPrincipalName" FROM "People" WHERE lower("DisplayName") LIKE {0} OR lower("UserPrincipalName") LIKE {0} LIMIT {1}"""
                    : """SELECT p."PersonObjectId", p."DisplayName", p."UserPrincipalName" FROM "PeopleSearch" JOIN "People" AS p ON p."Id" = "PeopleSearch".rowid WHERE "PeopleSearch" MATCH {0} LIMIT {1}""",
                postgresql ? ContainingPattern(lower) : TrigramQuery(lower),
                SparseLimit + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (candidates.Count <= SparseLimit)
        {
            // Checked here rather than in SQL: SQLite's lower() folds ASCII only, and the index may return rows that hold
            // every piece of the text but not the text itself.
            var people = candidates
                .Where(p => p.DisplayName.ToLowerInvariant().Contains(lower, StringComparison.Ordinal) || (p.UserPrincipalName?.ToLowerInvariant().Contains(lower, StringComparison.Ordinal) ?? false))
                .Select(p => p.PersonObjectId).ToList();
            if (people.Count == 0)
            {
                return [];
            }

            var owned = await db.Owners.AsNoTracking().Where(o => EF.Parameter(people).Contains(o.PersonObjectId))
                .Select(o => o.AppObjectId).Take(SparseLimit + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (owned.Count <= SparseLimit)
            {
                var apps = owned.Distinct(StringComparer.Ordinal).ToList();
                return await FirstByNameAsync(live.Where(a => EF.Parameter(apps).Contains(a.ObjectId)), take, cancellationToken).ConfigureAwait(false);
            }
        }

#pragma warning disable CA1862 // ToLower is translated to SQL lower(), as the PostgreSQL people indexes are built.
        var matching = db.People.Where(p => p.DisplayName.ToLower().Contains(lower) || (p.UserPrincipalName != null && p.UserPrincipalName.ToLower().Contains(lower)));
#pragma warning restore CA1862
        return await FirstByNameAsync(
            live.Where(a => a.Owners.Any(o => matching.Any(p => p.PersonObjectId == o.PersonObjectId))),
            take,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Names starting with <paramref name="lower"/>, as a range of the name index. On SQLite the range is spelled out (its
    /// LIKE ignores case, so it cannot use a case-sensitive index); PostgreSQL makes one from a prefix LIKE itself, since
    /// names are compared in code point order there too (<see cref="PostgresCredentialBotDbContext"/>).
    /// </summary>
    private static IQueryable<AppRecord> StartingWith(CredentialBotDbContext db, IQueryable<AppRecord> live, string lower)
    {
        if (db.Database.IsNpgsql() || lower[^1] >= char.MaxValue - 1 || char.IsSurrogate(lower[^1]))
        {
            return live.Where(a => a.DisplayNameLower.StartsWith(lower));
        }

        // SQLite compares text as UTF-8 bytes, in code point order: every name with this prefix sorts between it and the
        // prefix with its last character moved on by one.
        var next = string.Concat(lower.AsSpan(0, lower.Length - 1), ((char)(lower[^1] + 1)).ToString());
        return live.Where(a => string.Compare(a.DisplayNameLower, lower) >= 0 && string.Compare(a.DisplayNameLower, next) < 0);
    }

    /// <summary>
    /// The key column of the rows the index says may contain <paramref name="lower"/>, or null when there are more than
    /// <see cref="SparseLimit"/> (dense: the caller walks in name order instead). The caller checks each candidate.
    /// </summary>
    private static async Task<List<string>?> CandidatesAsync(CredentialBotDbContext db, string sqlite, string postgres, string lower, CancellationToken cancellationToken)
    {
        var postgresql = db.Database.IsNpgsql();
        object pattern = postgresql ? ContainingPattern(lower) : TrigramQuery(lower);
        var found = await db.Database
            .SqlQueryRaw<string>(postgresql ? postgres : sqlite, pattern, SparseLimit + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.Count > SparseLimit ? null : found;
    }

    /// <summary>
    /// An FTS5 query for rows holding every three-character piece of <paramref name="text"/>, each quoted as its own
    /// phrase (the tables keep no positions, so longer phrases are not available; the caller checks the whole text).
    /// </summary>
    internal static string TrigramQuery(string text)
    {
        var runes = text.EnumerateRunes().Select(r => r.ToString()).ToList();
        var pieces = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= runes.Count; i++)
        {
            pieces.Add(string.Concat(runes[i], runes[i + 1], runes[i + 2]));
        }

        return string.Join(" AND ", pieces.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }

    /// <summary>The object ids of the first <paramref name="take"/> of <paramref name="apps"/> by name.</summary>
    private static Task<List<string>> FirstByNameAsync(IQueryable<AppRecord> apps, int take, CancellationToken cancellationToken) =>
        apps.OrderBy(a => a.DisplayNameLower).Select(a => a.ObjectId).Take(take).ToListAsync(cancellationToken);

    /// <summary>A PostgreSQL <c>LIKE</c> pattern for text containing <paramref name="text"/>, its wildcards escaped.</summary>
    private static string ContainingPattern(string text)
    {
        var escaped = new StringBuilder(text.Length + 4).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.Append('%').ToString();
    }

    private static int RuneCount(string text) => text.EnumerateRunes().Count();

    /// <summary>A person the index returned for a query.</summary>
    private sealed class PersonCandidate
    {
        public required string PersonObjectId { get; init; }

        public required string DisplayName { get; init; }

        public string? UserPrincipalName { get; init; }
    }
}
