namespace CredentialBot.Store.Entities;

/// <summary>
/// A person who owns or owned an App, with the names their latest owner row gave: what owner search looks in. An
/// owner row holds its person's names once per App they own (2,000 people owned 386,000 rows in the bench's tenant),
/// so the search index is built over people instead, and their Apps are found through <c>IX_Owners_PersonObjectId</c>.
/// Kept by triggers on <c>Owners</c> (<see cref="Services.SnapshotIndexes"/>); a person is kept after their last App
/// goes, since the search finds their Apps through the owner rows anyway.
/// </summary>
public sealed class PersonRecord
{
    public long Id { get; set; }

    public required string PersonObjectId { get; set; }

    public required string DisplayName { get; set; }

    public string? UserPrincipalName { get; set; }
}
