namespace CredentialBot.EndToEnd.Tests;

/// <summary>Waits for something the host does in the background (a proactive send, a redrawn card, a recorded scan).</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<T?> probe, int attempts = 200)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        T? found = null;
        await UntilAsync(() => Task.FromResult((found = probe()) is not null), attempts);
        return found!;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; for conditions read asynchronously, such as the store.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, int attempts = 200)
    {
        ArgumentNullException.ThrowIfNull(condition);
        for (var i = 0; i < attempts; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Nothing arrived.");
    }
}
