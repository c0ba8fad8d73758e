using System.Collections.Concurrent;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// When this instance last ran each of the receipts' janitor chores, so the janitor (every minute) reads the usage
/// reports only every <see cref="ReceiptOptions.CheckInterval"/> (receipts) or <see cref="ReceiptOptions.SurveyInterval"/>
/// (the unused count). In memory: after a restart the first round runs at once, which is harmless.
/// </summary>
public sealed class ReceiptSchedule
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    public bool IsDue(string chore, DateTimeOffset now, TimeSpan interval) =>
        !_last.TryGetValue(chore, out var last) || now - last >= interval || now < last;

    public void Ran(string chore, DateTimeOffset now) => _last[chore] = now;
}
