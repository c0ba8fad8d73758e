using Spectre.Console;

namespace CredentialBot.Cli;

/// <summary>
/// A live status line for long CLI work (a scan, an import), on an interactive terminal only: scripts that redirect
/// the output get the plain result lines and nothing else.
/// </summary>
public static class CliProgress
{
    public static async Task<T> RunAsync<T>(TextWriter output, string label, Func<Action<string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
        {
            return await work(_ => { });
        }

        return await AnsiConsole.Status().StartAsync(Markup.Escape(label), context => work(status => context.Status(Markup.Escape(status))));
    }
}
