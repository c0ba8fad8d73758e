using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.TestKit.Time;

/// <summary>
/// Lets a fake clock run while the host does one piece of work. Between steps a test holds the clock still and moves
/// it with <see cref="FakeTimeProvider.Advance"/>; during a step (a request, a dispatch) the bot may wait on the clock
/// (send pacing, retry back-off), and those timers fire only when the clock moves. So while the work is in flight the
/// clock follows real time, and stands still again once the work is done.
/// </summary>
public static class ClockDriving
{
    public static async Task<T> RunAsync<T>(this FakeTimeProvider time, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(work);
        var task = work();
        var since = Stopwatch.GetTimestamp();
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(1))).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            time.Advance(Stopwatch.GetElapsedTime(since, now));
            since = now;
        }

        return await task.ConfigureAwait(false);
    }

    public static Task RunAsync(this FakeTimeProvider time, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return time.RunAsync(async () =>
        {
            await work().ConfigureAwait(false);
            return true;
        });
    }
}
