namespace CredentialBot.Shared.Cards;

/// <summary>A table cell's text with its urgency; the word carries the meaning, colour only reinforces it.</summary>
public sealed record CardCell(string Text, Urgency Urgency = Urgency.None);
