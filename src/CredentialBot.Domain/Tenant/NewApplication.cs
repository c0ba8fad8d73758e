namespace CredentialBot.Domain;

/// <summary>
/// An app registration to create on a person's behalf: single tenant (<c>signInAudience</c> <c>AzureADMyOrg</c>), no
/// credentials (Graph refuses passwords at creation; secrets come from addPassword afterwards). The bot's own service
/// principal (<see cref="ManagingServicePrincipalId"/>) is made an Entra owner first, so that
/// <c>Application.ReadWrite.OwnedBy</c> lets it manage the App from then on; <see cref="OwnerObjectIds"/> are the people
/// who become its Entra owners.
/// </summary>
public sealed record NewApplication(
    string DisplayName,
    string ManagingServicePrincipalId,
    IReadOnlyList<string> OwnerObjectIds,
    string? Description = null,
    string? Notes = null,
    IReadOnlyList<string>? Tags = null)
{
    /// <summary>Graph's limit on an application's description: "The maximum allowed size is 1,024 characters".</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>CredentialBot's limit on a display name typed in Teams (Graph's is larger); long names break cards.</summary>
    public const int MaxDisplayNameLength = 120;

    /// <summary>Each problem as a sentence; empty when the request may go to the directory.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var name = DisplayName?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            problems.Add("Give the app a name.");
        }
        else if (name.Length > MaxDisplayNameLength)
        {
            problems.Add($"The name is {name.Length} characters; at most {MaxDisplayNameLength}.");
        }

        if (name.Any(char.IsControl))
        {
            problems.Add("The name cannot contain line breaks or other control characters.");
        }

        if (Description?.Length > MaxDescriptionLength)
        {
            problems.Add($"The description is {Description.Length} characters; at most {MaxDescriptionLength}.");
        }

        if (string.IsNullOrWhiteSpace(ManagingServicePrincipalId))
        {
            problems.Add("The bot's own service principal must be named, so that it owns what it creates.");
        }

        if (OwnerObjectIds is null || OwnerObjectIds.Count == 0)
        {
            problems.Add("An app needs at least one person as its owner.");
        }

        return problems;
    }
}
