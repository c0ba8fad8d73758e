namespace CredentialBot.Store.Services;

/// <summary>The latest count of unused credentials, as the compliance summary shows it.</summary>
public sealed record UsageSurvey(DateTimeOffset At, bool Available, string? Explanation, int Credentials, int Unused, int UnusedDays);
