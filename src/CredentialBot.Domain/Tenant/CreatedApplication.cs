namespace CredentialBot.Domain;

/// <summary>
/// An app registration as created: <see cref="App"/> as a scan would see it (read back with its owners), the object id
/// of its service principal, and each later step the directory refused (an owner it would not add, the service principal
/// it would not create) — the App exists whatever those say, so they are reported, never thrown.
/// </summary>
public sealed record CreatedApplication(App App, string? ServicePrincipalObjectId, IReadOnlyList<DirectoryRefusal> NotDone)
{
    public bool IsComplete => ServicePrincipalObjectId is not null && NotDone.Count == 0;
}
