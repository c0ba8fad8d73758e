namespace CredentialBot.Shared.Jobs;

/// <summary>
/// One round of background work (a scan, a dispatch pass, a janitor round). It runs in a scope of its own each time,
/// on the schedule it is registered with (<c>AddPeriodicJob</c>); tests and CLI verbs call it directly.
/// </summary>
public interface IPeriodicJob
{
    Task RunOnceAsync(CancellationToken cancellationToken);
}
