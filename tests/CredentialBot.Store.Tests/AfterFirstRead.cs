namespace CredentialBot.Store.Tests;

/// <summary>
/// EF Core's log, used as a hook: runs <paramref name="action"/> once, on the statement's own thread, right after the
/// first statement of the context that reads <paramref name="table"/>, so a test can act between a store method's
/// statements.
/// </summary>
internal sealed class AfterFirstRead(string table, Action action) : ExecutedCommands
{
    private readonly string _from = $"FROM \"{table}\"";
    private int _ran;

    public bool Ran => _ran == 1;

    protected override void OnExecuted(string line)
    {
        if (line.Contains(_from, StringComparison.Ordinal) && Interlocked.Exchange(ref _ran, 1) == 0)
        {
            action();
        }
    }
}
