namespace CredentialBot.Commands;

/// <summary>
/// The routing table for typed commands: built once from every registered <see cref="IBotCommand"/>;
/// a duplicate name stops start-up. Multi-word names win over shorter prefixes ("my apps" over "my").
/// </summary>
public sealed class CommandTable
{
    private readonly Dictionary<string, IBotCommand> _byName;
    private readonly IBotCommand[] _longestFirst;

    public CommandTable(IEnumerable<IBotCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _byName = new Dictionary<string, IBotCommand>(StringComparer.OrdinalIgnoreCase);
        foreach (var command in commands)
        {
            if (!_byName.TryAdd(Normalize(command.Name), command))
            {
                throw new InvalidOperationException($"Two bot commands are registered with the name '{command.Name}'.");
            }
        }

        _longestFirst = [.. _byName.Values.OrderByDescending(c => c.Name.Length)];
    }

    /// <summary>Commands in a stable order for help cards.</summary>
    public IReadOnlyList<IBotCommand> Commands => [.. _byName.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>Finds the command the text starts with; the rest of the text becomes its arguments.</summary>
    public bool TryResolve(string text, out IBotCommand? command, out string arguments)
    {
        var normalized = Normalize(text);
        foreach (var candidate in _longestFirst)
        {
            var name = Normalize(candidate.Name);
            if (normalized.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                command = candidate;
                arguments = string.Empty;
                return true;
            }

            if (normalized.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase))
            {
                command = candidate;
                arguments = normalized[(name.Length + 1)..].Trim();
                return true;
            }
        }

        command = null;
        arguments = string.Empty;
        return false;
    }

    /// <summary>Collapses runs of whitespace so "my   apps" and "my apps" are the same command.</summary>
    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
