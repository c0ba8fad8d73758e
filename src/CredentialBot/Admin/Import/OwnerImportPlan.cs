namespace CredentialBot.Admin.Import;

/// <summary>
/// What an import would do: valid rows, every bad row, and (for a scoped admin) the rows naming an App outside their
/// scopes. It may go ahead only with no bad rows at all; rows outside the scopes are refused and left out, not bad.
/// </summary>
public sealed record OwnerImportPlan(IReadOnlyList<OwnerImportRow> Rows, IReadOnlyList<OwnerImportProblem> Problems, IReadOnlyList<OwnerImportProblem>? OutOfScope = null)
{
    public bool CanImport => Problems.Count == 0 && Rows.Count > 0;

    /// <summary>The rows refused because their App is outside the importer's scopes; none for a global admin.</summary>
    public IReadOnlyList<OwnerImportProblem> OutsideScope => OutOfScope ?? [];
}
