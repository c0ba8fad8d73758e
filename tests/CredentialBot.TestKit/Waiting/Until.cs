namespace CredentialBot.TestKit.Waiting;

/// <summary>
/// Waits (in real time) for something running in the background to show in a store or a server: a condition, not a
/// duration, so a slow machine only makes the test slower, never wrong.
/// </summary>
public static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> probe, TimeSpan? timeout = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await probe().ConfigureAwait(false))
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"Still not true after {limit}: {what ?? "the condition"}.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public static Task TrueAsync(Func<bool> probe, TimeSpan? timeout = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return TrueAsync(() => Task.FromResult(probe()), timeout, what);
    }
}
