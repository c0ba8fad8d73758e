namespace CredentialBot.Shared.Cards;

/// <summary>
/// Every Action.Execute verb the bot's cards carry, in one place: the routes that answer them are declared with these
/// names (a duplicate stops start-up).
/// </summary>
public static class CardVerbs
{
    /// <summary>Redraws a shared status card for whoever views it.</summary>
    public const string RefreshStatus = "appStatus";

    /// <summary>"Keep the old secret": cancels a scheduled removal.</summary>
    public const string KeepOldSecret = "cancelRemoval";

    /// <summary>"Remove anyway" on a card asking about an old credential that was still used.</summary>
    public const string RemoveOldAnyway = "removeOldAnyway";

    /// <summary>"Keep N more days" on a card asking about an old credential that was still used.</summary>
    public const string KeepOldLonger = "keepOldLonger";

    /// <summary>The digest's "Snooze 7 days".</summary>
    public const string Snooze = "snooze";

    /// <summary>The digest's "Acknowledge".</summary>
    public const string Acknowledge = "acknowledge";

    /// <summary>Approve on an approval card.</summary>
    public const string ApproveRequest = "approveRequest";

    /// <summary>Deny on an approval card.</summary>
    public const string DenyRequest = "denyRequest";

    /// <summary>The refresh of an approval card, for the approvers listed on it.</summary>
    public const string ViewRequest = "viewRequest";

    /// <summary>Approve on a new app registration's approval card.</summary>
    public const string ApproveAppRequest = "approveAppRequest";

    /// <summary>Deny (with a reason) on a new app registration's approval card.</summary>
    public const string DenyAppRequest = "denyAppRequest";

    /// <summary>The refresh of a new app registration's approval card, for the admins listed on it.</summary>
    public const string ViewAppRequest = "viewAppRequest";

    /// <summary>"Import N owners" on an import preview.</summary>
    public const string ConfirmImport = "importOwners";

    /// <summary>A dialog step shown inside a card, for clients that cannot open dialogs.</summary>
    public const string InlineDialog = "dialog";
}
