namespace CredentialBot.Shared.Dialogs;

/// <summary>A dialog step's answer, or why the request was not a dialog step at all.</summary>
/// <param name="Answer">The answer; null when the request was refused.</param>
/// <param name="Error">Why it was refused (no such dialog, unreadable data).</param>
public sealed record DialogStepResult(DialogAnswer? Answer, string? Error);
