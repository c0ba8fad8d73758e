using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>
/// An Adaptive Card (schema 1.5, the version Teams supports). Only the elements and actions this product
/// uses are modelled; each is a record so a card is data, built by pure functions and pinned by golden JSON.
/// </summary>
public sealed record AdaptiveCard
{
    /// <summary>Always <c>AdaptiveCard</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "AdaptiveCard";

    /// <summary>Schema version; Teams mobile refuses cards without one, and Action.Execute needs ≥ 1.4.</summary>
    [JsonPropertyName("version")]
    [JsonPropertyOrder(-9)]
    public string Version { get; init; } = "1.5";

    /// <summary>Universal Actions refresh: who gets an automatic refresh and with which action.</summary>
    [JsonPropertyName("refresh")]
    public CardRefresh? Refresh { get; init; }

    /// <summary>Teams extensions (full width, mentions). Not in the official schema; Teams reads it.</summary>
    [JsonPropertyName("msteams")]
    public MsTeamsCardProperties? MsTeams { get; init; }

    /// <summary>Elements, in reading order.</summary>
    [JsonPropertyName("body")]
    public IReadOnlyList<CardElement> Body { get; init; } = [];

    /// <summary>Card-level actions (at most six in Teams; extra ones go to the overflow menu).</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<CardAction>? Actions { get; init; }

    /// <summary>Text for clients that cannot render the card.</summary>
    [JsonPropertyName("fallbackText")]
    public string? FallbackText { get; init; }

    /// <summary>Spoken summary.</summary>
    [JsonPropertyName("speak")]
    public string? Speak { get; init; }
}
