namespace CredentialBot.Store.Entities;

/// <summary>
/// An admin scope a global admin made in Teams (scopes from settings are never stored). Lists are kept one item a
/// line: object ids, and app selectors as written (<c>tag:finance</c>).
/// </summary>
public sealed class AdminScopeRecord
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The name upper-cased (invariant), unique: two scopes cannot differ only in case.</summary>
    public required string NameKey { get; set; }

    public required string People { get; set; }

    public required string Groups { get; set; }

    public required string Apps { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who saved it last (a display name, for the card; the audit trail has the object id).</summary>
    public string? UpdatedBy { get; set; }
}
