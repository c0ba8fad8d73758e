using CredentialBot.Shared.Cards;
using CredentialBot.Domain;

namespace CredentialBot.Tests.Cards;

public sealed class CardTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("[click me](https://evil.example)", "\\[click me\\](https://evil.example)")]
    [InlineData("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_")]
    [InlineData("Payroll API", "Payroll API")]
    [InlineData("line\nbreak", "line break")]
    public void Literal_EscapesMarkdownSoUntrustedTextRendersAsIs(string input, string expected)
    {
        Assert.Equal(expected, CardText.Literal(input));
    }

    [Fact]
    public void Literal_LongText_IsCutWithAnEllipsis()
    {
        var result = CardText.Literal(new string('a', 500), maxLength: 10);

        Assert.Equal("aaaaaaaaa…", result);
    }

    [Theory]
    [InlineData(3.5, "4 days left")]
    [InlineData(1.2, "2 days left")]
    [InlineData(1.0, "1 day left")]
    [InlineData(0.5, "1 day left")]
    [InlineData(-0.5, "expired today")]
    [InlineData(-1.5, "expired 1 day ago")]
    [InlineData(-40, "expired 40 days ago")]
    public void DaysLeft_SaysItInWords(double days, string expected)
    {
        var credential = new Credential("k", CredentialKind.Secret, "s", null, Now.AddDays(days));

        Assert.Equal(expected, CardText.DaysLeft(credential, Now));
    }

    [Fact]
    public void EntraPortalLink_EscapesIds()
    {
        var app = new App("obj/1", "app?id", "x", AppKind.Application, [], []);

        Assert.EndsWith("/appId/app%3Fid", CardText.EntraPortalLink(app).OriginalString, StringComparison.Ordinal);
    }
}
