using CredentialBot.Admin.Posture;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Tests.Cards;

/// <summary>The compliance summary's tenant posture part, pinned by a golden file.</summary>
public sealed class PostureSectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public Task PostureSection_ShowsEachFindingWithWhyAndLink_ThenWhatChanged()
    {
        var missing = new DirectoryRefusal(DirectoryRefusalKind.MissingPermission, "Forbidden", "Policy.Read.All");
        var lifetime = new CredentialRestrictions([new CredentialRestriction(CredentialRestrictionTypes.PasswordLifetime, TimeSpan.FromDays(180))], []);
        var before = TenantPostureReport.Review(
            new TenantPosture(new(new DefaultUserAppPermissions(true, ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])), new(missing), new(new AdminConsentRequestSettings(false))),
            new PostureTally(Now.AddDays(-1), null),
            Now.AddDays(-1));
        var tally = new PostureTally(Now, new AppManagementSettings(true, lifetime, lifetime));
        tally.Add(new App("o-1", "a-1", "Unowned *markdown*", AppKind.Application, [new Credential("k", CredentialKind.Secret, "s", Now.AddDays(-10), Now.AddDays(700))], []), Policy.Default);
        var now = TenantPostureReport.Review(
            new TenantPosture(new(new DefaultUserAppPermissions(false, [])), new(new AppManagementSettings(true, lifetime, lifetime)), new(new AdminConsentRequestSettings(true, RequestDurationInDays: 30))),
            tally,
            Now);

        return GoldenCards.AssertMatchesAsync("compliance-posture", CardParts.Card(PostureSection.Build(now, before)));
    }

    [Fact]
    public void PostureSection_BeforeTheFirstReview_SaysSo()
    {
        var body = PostureSection.Build(null, null);

        Assert.Equal(2, body.Count);
    }
}
