namespace CredentialBot.Ownership;

/// <summary>Modes of the owner dialog.</summary>
public static class OwnerModes
{
    public const string Add = "add";
    public const string Transfer = "transfer";
    public const string Remove = "remove";

    /// <summary>The mode a button asked for; anything unknown is <see cref="Add"/>.</summary>
    public static string Of(string? mode) => mode is Transfer or Remove ? mode : Add;
}
