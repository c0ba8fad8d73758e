namespace CredentialBot.Shared.Cards;

/// <summary>How buttons that open a dialog are drawn (setting <c>Cards:DialogButtons</c>).</summary>
public enum DialogButtons
{
    /// <summary>Teams: the button opens a dialog (task module).</summary>
    TaskModule,

    /// <summary>
    /// Clients without dialogs, such as the Microsoft 365 Agents Playground: the button shows the dialog inside the card
    /// through Action.Execute, and each step's answer replaces it for the person who clicked.
    /// </summary>
    Inline,
}
