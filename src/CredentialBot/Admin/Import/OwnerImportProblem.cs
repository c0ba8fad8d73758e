namespace CredentialBot.Admin.Import;

/// <summary>A row that did not, with its line number in the file (the header is line 1).</summary>
public sealed record OwnerImportProblem(int Line, string Reason);
