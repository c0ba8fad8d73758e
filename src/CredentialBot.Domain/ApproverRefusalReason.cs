namespace CredentialBot.Domain;

/// <summary>Why a person may not decide a request.</summary>
public enum ApproverRefusalReason
{
    /// <summary>The activity did not say who is acting.</summary>
    UnknownActor,

    /// <summary>Nobody decides their own request, admins included.</summary>
    OwnRequest,

    /// <summary>The person does not hold, through ownership or an assigned right, what approving would grant.</summary>
    LacksTheRight,

    /// <summary>A scoped admin whose scopes do not cover the App (and who holds no right on it as an owner).</summary>
    OutsideScope,
}
