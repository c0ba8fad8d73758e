namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// When this instance last looked for receipts, so the janitor (every minute) reads the usage reports only every
/// <see cref="ReceiptOptions.CheckInterval"/>. In memory: after a restart the first round looks at once, which is harmless.
/// </summary>
public sealed class ReceiptSchedule
{
    private long _lastTicks = DateTimeOffset.MinValue.UtcTicks;

    public bool IsDue(DateTimeOffset now, TimeSpan interval)
    {
        var last = Interlocked.Read(ref _lastTicks);
        return now.UtcTicks - last >= interval.Ticks || now.UtcTicks < last;
    }

    public void Ran(DateTimeOffset now) => Interlocked.Exchange(ref _lastTicks, now.UtcTicks);
}
