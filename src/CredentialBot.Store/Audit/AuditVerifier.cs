using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Audit;

/// <summary>
/// verify-audit's check, in one pass over the chain: every event's link and MAC (SHA-256 before the keyed epoch),
/// every checkpoint line's own MAC, every checkpoint's head against the event it names, and the newest checkpoint's
/// count against what the store still holds. Each problem is a sentence that names what is wrong or missing.
/// </summary>
internal static class AuditVerifier
{
    private const int MaxProblems = 20;

    public static async Task<AuditVerification> VerifyAsync(CredentialBotDbContext db, AuditChain chain, CancellationToken cancellationToken)
    {
        AuditKey? key;
        string path;
        try
        {
            key = chain.TryLoadKey();
            path = chain.CheckpointPath;
        }
        catch (AuditConfigurationException ex)
        {
            return AuditVerification.Misconfigured(ex.Message);
        }

        var state = await db.AuditChainState.AsNoTracking().SingleOrDefaultAsync(s => s.Id == AuditChainStateRecord.SingletonId, cancellationToken).ConfigureAwait(false);
        var lines = AuditCheckpointFile.ReadAll(path);
        var problems = new List<string>();
        var notes = new List<string>();

        if (key is null)
        {
            // Only a store that was never keyed (no key recorded, no checkpoints) can be read without a key.
            if (state?.KeyId is not null || lines is { Count: > 0 })
            {
                return AuditVerification.Misconfigured($"No audit key: Audit:ChainKey is unset and the key file {chain.KeyFilePath} (Audit:KeyFile) does not exist, but the trail {(state?.KeyId is { } id ? $"is keyed with key {id}" : "has checkpoints")}. Restore the key file or set Audit:ChainKey.");
            }
        }
        else if (state?.KeyId is { } recorded && recorded != key.Id)
        {
            if (lines is null || lines.All(l => l.Checkpoint?.KeyId != key.Id))
            {
                return AuditVerification.Misconfigured(AuditChain.WrongKey(key, recorded).Message);
            }

            problems.Add($"The store records key {recorded} for its chain, but the checkpoints were written with the configured key {key.Id}: the store's chain state was edited.");
        }

        var checkpoints = ReadCheckpoints(lines, key, path, problems);
        var keyedFrom = state?.KeyedFromSequence ?? checkpoints.Select(c => c.KeyedFrom).DefaultIfEmpty(1).Min();
        var anchors = checkpoints.GroupBy(c => c.Head).ToDictionary(g => g.Key, g => g.ToList());
        var walk = await WalkAsync(db, key, keyedFrom, anchors, problems, cancellationToken).ConfigureAwait(false);
        long? firstBroken = walk.FirstBroken;

        if (state is null && walk.Count > 0)
        {
            problems.Add("The audit chain's state row (AuditChainState) is missing from the store: it was deleted.");
        }

        foreach (var moved in checkpoints.Where(c => state is not null && c.KeyedFrom != state.KeyedFromSequence).Take(1))
        {
            problems.Add($"The store says events are keyed from event {state!.KeyedFromSequence}, but {moved.Name} says from event {moved.KeyedFrom}: the store's chain state was edited.");
        }

        var newest = checkpoints.MaxBy(c => c.Head);
        if (newest is not null && newest.Head > walk.Last)
        {
            problems.Add(walk.Count == 0
                ? $"{Capitalized(newest.Name)} recorded {newest.Count} events; the store has none: all {newest.Count} were deleted (the trail was wiped)."
                : $"{Capitalized(newest.Name)} recorded {newest.Count} events; the store has {walk.Count}: {Range("event", walk.Last + 1, newest.Head)} {(newest.Head > walk.Last + 1 ? "are" : "is")} missing.");
            firstBroken = Min(firstBroken, walk.Last + 1);
        }

        if (lines is null || lines.Count == 0)
        {
            if (walk.Count > 0 || state?.KeyId is not null)
            {
                problems.Add($"There are no checkpoints: {path} (Audit:CheckpointPath) {(lines is null ? "does not exist" : "is empty")}. Without them, deleting the newest events or all of them cannot be detected; if the file was deleted, the trail may have been cut.");
            }
        }
        else if (newest is not null)
        {
            notes.Add($"{checkpoints.Count} checkpoint{(checkpoints.Count == 1 ? string.Empty : "s")} in {path}; the newest, {newest.Name}, recorded {newest.Count} events.");
            if (walk.Last > newest.Head)
            {
                notes.Add($"{Capitalized(Range("event", newest.Head + 1, walk.Last))} came after the newest checkpoint: deleting {(walk.Last > newest.Head + 1 ? "them" : "it")} would go unnoticed until a checkpoint covers {(walk.Last > newest.Head + 1 ? "them" : "it")}.");
            }
        }

        if (walk.Count > 0 && keyedFrom > 1)
        {
            var unkeyed = Math.Min(keyedFrom - 1, walk.Last);
            notes.Add(keyedFrom > walk.Last
                ? $"No event is keyed yet: {Range("event", 1, unkeyed)} were written before the chain was keyed and are only hash-chained, which anyone who can write the database can recompute."
                : $"{Capitalized(Range("event", 1, unkeyed))} were written before the chain was keyed (SHA-256 only); they are protected through event {keyedFrom}'s MAC, which covers the last of them.");
        }

        var shown = problems.Count > MaxProblems ? [.. problems.Take(MaxProblems), $"… and {problems.Count - MaxProblems} more problems."] : problems;
        return new AuditVerification(problems.Count == 0 ? AuditVerdict.Intact : AuditVerdict.Broken, walk.Count, problems.Count == 0 ? null : firstBroken, checkpoints.Count, shown, notes);
    }

    private sealed record Walk(long Count, long Last, long? FirstBroken);

    private static async Task<Walk> WalkAsync(CredentialBotDbContext db, AuditKey? key, long keyedFrom, Dictionary<long, List<AuditCheckpoint>> anchors, List<string> problems, CancellationToken cancellationToken)
    {
        var expectedPrevious = AuditChain.GenesisHash;
        long expectedSequence = 1;
        long count = 0;
        long? firstBroken = null;
        var failing = new List<(long From, long To)>();
        await foreach (var record in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            var linked = record.PreviousHash == expectedPrevious;
            if (record.Sequence != expectedSequence)
            {
                problems.Add($"{Capitalized(Range("event", expectedSequence, record.Sequence - 1))} {(record.Sequence - 1 > expectedSequence ? "are" : "is")} missing: event {record.Sequence} follows {(expectedSequence == 1 ? "nothing" : $"event {expectedSequence - 1}")}.");
                firstBroken = Min(firstBroken, expectedSequence);

                // The gap is the finding; whether this event links to a deleted one cannot be checked.
                linked = true;
            }

            var authentic = record.Sequence < keyedFrom
                ? record.Hash == AuditChain.LegacyHashOf(record)
                : key is not null && key.Verifies(record.Hash, AuditChain.EventDomain, AuditChain.FieldsOf(record));
            if (authentic && !linked && record.Sequence == keyedFrom)
            {
                // Unkeyed events can be recomputed by anyone; which of them changed cannot be told, only that one did.
                problems.Add($"Event {record.Sequence} does not link to event {record.Sequence - 1}: events 1–{record.Sequence - 1}, written before the chain was keyed, were rewritten.");
                firstBroken = Min(firstBroken, 1);
            }
            else if (authentic && !linked)
            {
                problems.Add($"Event {record.Sequence} does not link to event {record.Sequence - 1}: event {record.Sequence - 1}, or events before it, were rewritten.");
                firstBroken = Min(firstBroken, record.Sequence - 1);
            }
            else if (!authentic)
            {
                firstBroken = Min(firstBroken, record.Sequence);
                if (failing.Count > 0 && failing[^1].To == record.Sequence - 1)
                {
                    failing[^1] = (failing[^1].From, record.Sequence);
                }
                else
                {
                    failing.Add((record.Sequence, record.Sequence));
                }
            }

            if (anchors.TryGetValue(record.Sequence, out var anchored))
            {
                foreach (var checkpoint in anchored.Where(c => c.HeadMac != record.Hash).Take(1))
                {
                    problems.Add($"Event {record.Sequence} is not the event {checkpoint.Name} recorded: the trail up to it was rewritten.");
                    firstBroken = Min(firstBroken, record.Sequence);
                }
            }

            expectedPrevious = record.Hash;
            expectedSequence = record.Sequence + 1;
        }

        foreach (var (from, to) in failing)
        {
            problems.Add(from == to
                ? $"Event {from} does not verify: it was edited, or written without the audit key."
                : $"Events {from}–{to} do not verify: they were edited, or rewritten without the audit key.");
        }

        return new Walk(count, expectedSequence - 1, firstBroken);
    }

    private static List<AuditCheckpoint> ReadCheckpoints(IReadOnlyList<AuditCheckpointFile.Line>? lines, AuditKey? key, string path, List<string> problems)
    {
        var checkpoints = new List<AuditCheckpoint>();
        foreach (var line in lines ?? [])
        {
            if (line.Checkpoint is not { } checkpoint)
            {
                problems.Add($"Line {line.Number} of the checkpoint file {path} is not a checkpoint: the file was edited.");
            }
            else if (key is null || !checkpoint.VerifiesWith(key))
            {
                problems.Add($"Line {line.Number} of {path} ({checkpoint.Name}) does not verify: it was edited or forged{(key is not null && checkpoint.KeyId != key.Id ? $", or written with another key ({checkpoint.KeyId})" : string.Empty)}.");
            }
            else
            {
                checkpoints.Add(checkpoint);
            }
        }

        return checkpoints;
    }

    private static string Range(string noun, long from, long to) => from == to ? $"{noun} {from}" : $"{noun}s {from}–{to}";

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static long? Min(long? current, long candidate) => current is { } c ? Math.Min(c, candidate) : candidate;
}
