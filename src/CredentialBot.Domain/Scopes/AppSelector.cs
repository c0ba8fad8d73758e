using System.Text.RegularExpressions;

namespace CredentialBot.Domain;

/// <summary>
/// Picks Apps by kind, display-name pattern, tag or id: what policy assignment uses, and what an admin scope's apps are.
/// Written as text <c>kind:Application</c>, <c>name:Pay*</c>, <c>tag:payments</c> or <c>app:&lt;app or object id&gt;</c>.
/// </summary>
public sealed record AppSelector(AppSelectorKind Kind, string Value)
{
    private const int MaxValueLength = 200;

    private static readonly (string Prefix, AppSelectorKind Kind)[] Prefixes =
        [("kind:", AppSelectorKind.Kind), ("name:", AppSelectorKind.NamePattern), ("tag:", AppSelectorKind.Tag), ("app:", AppSelectorKind.App)];

    public bool Matches(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return Kind switch
        {
            AppSelectorKind.Kind => string.Equals(Value, app.Kind.ToString(), StringComparison.OrdinalIgnoreCase),
            AppSelectorKind.NamePattern => MatchesPattern(app.DisplayName, Value),
            AppSelectorKind.Tag => app.TagsOrEmpty.Contains(Value, StringComparer.OrdinalIgnoreCase),
            AppSelectorKind.App => string.Equals(Value, app.AppId, StringComparison.OrdinalIgnoreCase) || string.Equals(Value, app.ObjectId, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>
    /// True when every App <paramref name="other"/> picks is one this selector picks too, judged from the selectors
    /// alone: the same selector; or, for name patterns, an exact name this pattern matches, or a pattern whose literal
    /// start extends this one's when this one is a prefix followed by a single <c>*</c> (<c>name:Pay*</c> includes
    /// <c>name:Payroll*</c>). Anything else is not included, which errs on the side of refusing.
    /// </summary>
    public bool Includes(AppSelector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Kind != Kind)
        {
            return false;
        }

        if (string.Equals(other.Value, Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (Kind != AppSelectorKind.NamePattern)
        {
            return false;
        }

        if (!other.Value.Contains('*', StringComparison.Ordinal))
        {
            return MatchesPattern(other.Value, Value);
        }

        var prefix = Value[..^1];
        return Value.EndsWith('*') && !prefix.Contains('*', StringComparison.Ordinal)
            && other.Value[..other.Value.IndexOf('*', StringComparison.Ordinal)].StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A display-name pattern with <c>*</c> wildcards, case-insensitive, matching the whole name.</summary>
    public static bool MatchesPattern(string name, string pattern)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pattern);
        return Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Reads <c>kind:…</c>, <c>name:…</c>, <c>tag:…</c> or <c>app:…</c>; null with a sentence saying what is wrong otherwise.</summary>
    public static AppSelector? Parse(string? text, out string? problem)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        foreach (var (prefix, kind) in Prefixes)
        {
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var selector = new AppSelector(kind, trimmed[prefix.Length..].Trim());
                problem = selector.Problem();
                return problem is null ? selector : null;
            }
        }

        problem = $"\"{Clip(trimmed)}\" is not an app selector: write kind:Application, kind:ServicePrincipal, name:PATTERN, tag:TAG or app:ID.";
        return null;
    }

    /// <summary>What is wrong with this selector, or null when it can be used.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Value) || Value.Length > MaxValueLength || Value.Any(char.IsControl))
        {
            return $"An app selector's value must be 1 to {MaxValueLength} printable characters.";
        }

        if (Kind == AppSelectorKind.Kind && !Enum.TryParse<AppKind>(Value, ignoreCase: true, out _))
        {
            return $"\"{Clip(Value)}\" is not an app kind: write Application or ServicePrincipal.";
        }

        if (Kind == AppSelectorKind.NamePattern && Value.All(c => c == '*'))
        {
            return "A name pattern of only * would select every app; write kind:Application and kind:ServicePrincipal if that is meant.";
        }

        return null;
    }

    public override string ToString() => Kind switch
    {
        AppSelectorKind.Kind => $"kind:{Value}",
        AppSelectorKind.NamePattern => $"name:{Value}",
        AppSelectorKind.Tag => $"tag:{Value}",
        _ => $"app:{Value}",
    };

    private static string Clip(string text) => text.Length > 60 ? string.Concat(text.AsSpan(0, 59), "…") : text;
}
