namespace CredentialBot.Shared.Cards;

/// <summary>Section "Cards".</summary>
public sealed class CardOptions
{
    public const string SectionName = "Cards";

    /// <summary>How dialog buttons are drawn; local mode (the Playground) defaults to <c>Inline</c>.</summary>
    public DialogButtons? DialogButtons { get; set; }

    /// <summary>The style in force (set at start-up when not configured).</summary>
    public DialogButtons Buttons => DialogButtons ?? Cards.DialogButtons.TaskModule;
}
