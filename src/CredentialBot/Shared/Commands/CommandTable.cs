namespace CredentialBot.Shared.Commands;

/// <summary>
/// The routing table for typed commands, built from their registrations (no command is constructed); a duplicate name
/// stops start-up. Multi-word names win over shorter prefixes ("my apps" over "my").
/// </summary>
public sealed class CommandTable
{
    private readonly Dictionary<string, CommandRegistration> _byName;
    private readonly CommandRegistration[] _longestFirst;

    public CommandTable(IEnumerable<CommandRegistration> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _byName = new Dictionary<string, CommandRegistration>(StringComparer.OrdinalIgnoreCase);
        foreach (var command in commands)
        {
            if (!_byName.TryAdd(Normalize(command.Info.Name), command))
            {
                throw new InvalidOperationException($"Two bot commands are registered with the name '{command.Info.Name}'.");
            }
        }

        _longestFirst = [.. _byName.Values.OrderByDescending(c => c.Info.Name.Length)];
    }

    /// <summary>Commands in a stable order for help cards.</summary>
    public IReadOnlyList<CommandInfo> Commands => [.. _byName.Values.Select(c => c.Info).OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>Finds the command the text starts with; the rest of the text becomes its arguments.</summary>
    public bool TryResolve(string text, out CommandRegistration? command, out string arguments)
    {
        var normalized = Normalize(text);
        foreach (var candidate in _longestFirst)
        {
            var name = Normalize(candidate.Info.Name);
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
