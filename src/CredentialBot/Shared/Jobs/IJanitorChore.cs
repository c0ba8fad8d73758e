namespace CredentialBot.Shared.Jobs;

/// <summary>
/// One kind of clean-up the janitor does every round (remove old secrets, end grants, expire requests). Each item is
/// claimed by a conditional update in the store, so several instances running the janitor handle it exactly once.
/// </summary>
public interface IJanitorChore
{
    Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
