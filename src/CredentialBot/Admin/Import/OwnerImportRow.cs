using CredentialBot.Domain;

namespace CredentialBot.Admin.Import;

/// <summary>A row that passed every check, ready to import.</summary>
public sealed record OwnerImportRow(int Line, App App, OwnerKind Kind, Person Person, bool ManageCredentials);
