namespace CredentialBot.Domain;

/// <summary>How an <see cref="AppSelector"/> picks Apps: the same four ways a policy is assigned.</summary>
public enum AppSelectorKind
{
    /// <summary>Every App of a kind (<c>Application</c> or <c>ServicePrincipal</c>).</summary>
    Kind,

    /// <summary>Apps whose display name matches a pattern with <c>*</c> wildcards, case-insensitive, whole name.</summary>
    NamePattern,

    /// <summary>Apps carrying a tag, case-insensitive.</summary>
    Tag,

    /// <summary>One App, by its app id or object id.</summary>
    App,
}
