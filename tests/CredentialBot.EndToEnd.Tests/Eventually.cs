namespace CredentialBot.EndToEnd.Tests;

/// <summary>Waits for something the host does in the background (a proactive send, a redrawn card).</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<T?> probe, int attempts = 200)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        for (var i = 0; i < attempts; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Nothing arrived.");
    }
}
