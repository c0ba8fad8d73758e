using CredentialBot.Domain;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// What the usage reports said about one App: its credentials' last uses (<see cref="Usage"/>), or nothing because the
/// tenant cannot have them (no licence, no permission, receipts turned off: carry on as before), or nothing for now
/// (<see cref="TryLater"/>: the reports did not answer; decide nothing that needs them this round).
/// </summary>
public sealed record UsageReading(CredentialUsage? Usage, bool TryLater)
{
    public static UsageReading Unavailable { get; } = new(null, false);

    public static UsageReading Later { get; } = new(null, true);
}
