namespace CredentialBot.Shared.Dialogs;

/// <summary>The routing table for dialogs, built from their registrations; a duplicate name stops start-up.</summary>
public sealed class DialogTable
{
    private readonly Dictionary<string, DialogRegistration> _byName = new(StringComparer.Ordinal);

    public DialogTable(IEnumerable<DialogRegistration> dialogs)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        foreach (var dialog in dialogs)
        {
            if (!_byName.TryAdd(dialog.Name, dialog))
            {
                throw new InvalidOperationException($"Two dialogs are registered with the name '{dialog.Name}': {_byName[dialog.Name].DialogType.Name} and {dialog.DialogType.Name}.");
            }
        }
    }

    public DialogRegistration? Find(string name) => _byName.GetValueOrDefault(name);
}
