namespace CredentialBot.Shared.Jobs;

/// <summary>Lets other work wake a periodic job before its interval is over.</summary>
public interface IWakeSignal
{
    /// <summary>Waits until woken or until <paramref name="timeout"/> has passed, whichever comes first.</summary>
    Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken);
}
