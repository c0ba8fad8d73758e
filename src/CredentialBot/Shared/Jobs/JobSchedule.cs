namespace CredentialBot.Shared.Jobs;

/// <summary>When a periodic job runs.</summary>
/// <param name="Enabled">Runs at all in this instance (a deployment may leave a job to another instance or a CLI).</param>
/// <param name="Interval">Time between rounds.</param>
/// <param name="RunAtStart">Runs once as soon as the host starts, before the first interval.</param>
/// <param name="Wake">
/// When set, a round follows the previous one after <paramref name="Interval"/> or as soon as this is signalled;
/// otherwise rounds keep a fixed cadence of <paramref name="Interval"/>.
/// </param>
public sealed record JobSchedule(bool Enabled, TimeSpan Interval, bool RunAtStart = false, IWakeSignal? Wake = null);
