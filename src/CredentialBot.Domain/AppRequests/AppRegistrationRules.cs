namespace CredentialBot.Domain;

/// <summary>
/// What a request for a new app registration must say before it goes to admins: a name of printable, ordinary
/// characters, a purpose an approver can judge, a known type, one to <see cref="MaxTechnicalOwners"/> technical owners,
/// a business owner and an optional ticket. People are checked against the directory by the caller
/// (<see cref="OwnershipRules.CheckCandidate"/>); a policy against the store.
/// </summary>
public static class AppRegistrationRules
{
    public const int MinNameLength = 3;

    /// <summary>The same limit as <see cref="NewApplication.MaxDisplayNameLength"/>: what Graph is later asked to create.</summary>
    public const int MaxNameLength = NewApplication.MaxDisplayNameLength;

    public const int MinPurposeLength = 10;

    /// <summary>The purpose becomes the app's description, which Graph limits to 1,024 characters.</summary>
    public const int MaxPurposeLength = 1000;

    public const int MaxTicketLength = ElevationRules.MaxTicketLength;

    public const int MaxTechnicalOwners = 10;

    /// <summary>Punctuation a name may use besides letters, digits and single spaces.</summary>
    public const string AllowedPunctuation = "-_.()&',+";

    /// <summary>Each problem with the name as a sentence; empty when it may be used.</summary>
    public static IReadOnlyList<string> NameProblems(string? name)
    {
        var problems = new List<string>();
        var text = name?.Trim() ?? string.Empty;
        if (text.Length < MinNameLength)
        {
            problems.Add($"Give the app a name of at least {MinNameLength} characters.");
            return problems;
        }

        if (text.Length > MaxNameLength)
        {
            problems.Add($"The name is {text.Length} characters; at most {MaxNameLength}.");
        }

        var bad = text.Where(c => !char.IsLetterOrDigit(c) && c != ' ' && !AllowedPunctuation.Contains(c)).Distinct().Take(5).ToList();
        if (bad.Count > 0)
        {
            problems.Add($"The name may use letters, digits, spaces and {string.Join(' ', AllowedPunctuation.ToCharArray())} only; not {string.Join(' ', bad.Select(Show))}.");
        }

        if (!char.IsLetterOrDigit(text[0]))
        {
            problems.Add("The name must start with a letter or a digit.");
        }

        if (text.Contains("  ", StringComparison.Ordinal))
        {
            problems.Add("The name has two spaces in a row.");
        }

        return problems;
    }

    /// <summary>Each problem with the request's text fields as a sentence; empty when it may go to admins.</summary>
    public static IReadOnlyList<string> Problems(string? name, string? purpose, string? type, int technicalOwnersAsked, bool businessOwnerAsked, string? ticket)
    {
        var problems = new List<string>(NameProblems(name));
        var why = purpose?.Trim() ?? string.Empty;
        if (why.Length < MinPurposeLength)
        {
            problems.Add($"Describe the app's purpose and business justification (at least {MinPurposeLength} characters): approvers decide on it.");
        }
        else if (why.Length > MaxPurposeLength)
        {
            problems.Add($"The purpose is {why.Length} characters; at most {MaxPurposeLength}.");
        }

        if (ParseType(type) is null)
        {
            problems.Add("Choose what kind of app it is.");
        }

        if (technicalOwnersAsked == 0)
        {
            problems.Add("Name at least one technical owner: the people who will rotate its secrets.");
        }
        else if (technicalOwnersAsked > MaxTechnicalOwners)
        {
            problems.Add($"{technicalOwnersAsked} technical owners were named; at most {MaxTechnicalOwners}.");
        }

        if (!businessOwnerAsked)
        {
            problems.Add("Name the business owner: the person accountable for the app.");
        }

        if (ticket is { Length: > MaxTicketLength })
        {
            problems.Add($"The ticket number is {ticket.Length} characters; at most {MaxTicketLength}.");
        }
        else if (ticket?.Any(char.IsControl) == true)
        {
            problems.Add("The ticket number cannot contain line breaks or other control characters.");
        }

        return problems;
    }

    /// <summary>The type a form sent, by its name; null when it is not one.</summary>
    public static AppRegistrationType? ParseType(string? type) =>
        Enum.TryParse<AppRegistrationType>(type, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(type, out _) ? parsed : null;

    /// <summary>"Web API", "Daemon or background service"…</summary>
    public static string Describe(AppRegistrationType type) => type switch
    {
        AppRegistrationType.WebApi => "Web API",
        AppRegistrationType.WebApp => "Web app (people sign in)",
        AppRegistrationType.SinglePageApp => "Single-page app (SPA)",
        AppRegistrationType.Daemon => "Daemon or background service",
        AppRegistrationType.NativeApp => "Mobile or desktop app",
        _ => "Other",
    };

    /// <summary>Splits a list of people typed into one field (commas, semicolons, spaces or lines).</summary>
    public static IReadOnlyList<string> SplitPeople(string? text) =>
        [.. (text ?? string.Empty).Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string Show(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
