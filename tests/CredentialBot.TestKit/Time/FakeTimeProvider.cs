namespace CredentialBot.TestKit.Time;

/// <summary>
/// A controllable clock. Microsoft.Extensions.TimeProvider.Testing is not in our registry, and the
/// product only needs "now" to be settable, so this stays small. Timers use the system clock.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    /// <summary>A fixed instant used across tests so golden files stay stable.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private long _utcTicks = start.UtcTicks;

    public FakeTimeProvider()
        : this(DefaultStart)
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void SetUtcNow(DateTimeOffset value) => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);

    public void Advance(TimeSpan delta) => Interlocked.Add(ref _utcTicks, delta.Ticks);
}
