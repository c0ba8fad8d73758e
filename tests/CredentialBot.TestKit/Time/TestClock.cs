namespace CredentialBot.TestKit.Time;

/// <summary>
/// Where test clocks start. Tests use Microsoft.Extensions.TimeProvider.Testing's <c>FakeTimeProvider</c>, whose
/// timers fire only when the test advances it; its own default start (2000-01-01) is too far from the dates the
/// demo tenant and the golden cards are written for.
/// </summary>
public static class TestClock
{
    /// <summary>A fixed instant used across tests so golden files stay stable.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
}
