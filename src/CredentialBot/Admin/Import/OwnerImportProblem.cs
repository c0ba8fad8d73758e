namespace CredentialBot.Admin.Import;

/// <summary>A row that did not, with its line number in the file (the header is line 1), and its App when it names one.</summary>
public sealed record OwnerImportProblem(int Line, string Reason, string? AppObjectId = null);
