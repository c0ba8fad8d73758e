using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>
/// The pauses in force for some Apps. A paused credential is skipped at its expiring stages; once expired it is
/// announced regardless, because a snooze is "remind me later", not "let it break quietly".
/// </summary>
public sealed class PausedNotices
{
    private readonly HashSet<(string App, string Key)> _paused;

    private PausedNotices(IReadOnlyList<NoticePause> pauses)
    {
        All = pauses;
        _paused = [.. pauses.Select(p => (p.AppObjectId, p.CredentialKeyId))];
    }

    /// <summary>Every pause in force, to show who paused what until when.</summary>
    public IReadOnlyList<NoticePause> All { get; }

    /// <summary>The pauses in force now for these Apps.</summary>
    public static async Task<PausedNotices> ForAsync(SnoozeStore snoozes, IReadOnlyCollection<string> appObjectIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snoozes);
        var active = await snoozes.ActiveForAsync(appObjectIds, cancellationToken);
        return new PausedNotices([.. active.Select(s => new NoticePause(s.AppObjectId, s.CredentialKeyId, s.Until, s.ByName, s.At))]);
    }

    /// <summary>True when a pause keeps <paramref name="notice"/> from being sent.</summary>
    public bool Silences(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return notice.Stage != Notice.ExpiredStage && _paused.Contains((notice.AppObjectId, notice.CredentialKeyId));
    }
}
