namespace CredentialBot.Admin.Import;

/// <summary>What an import would do: valid rows, and every bad row. It may go ahead only with no bad rows at all.</summary>
public sealed record OwnerImportPlan(IReadOnlyList<OwnerImportRow> Rows, IReadOnlyList<OwnerImportProblem> Problems)
{
    public bool CanImport => Problems.Count == 0 && Rows.Count > 0;
}
