using CredentialBot.Digests;

namespace CredentialBot.Tests.Digests;

/// <summary>An escalation webhook that cannot be trusted stops start-up, naming the setting.</summary>
public sealed class NotificationOptionsTests
{
    private static readonly NotificationOptionsValidator Validator = new();

    [Fact]
    public void NoWebhook_IsFine() => Assert.True(Validator.Validate(null, new NotificationOptions()).Succeeded);

    [Theory]
    [InlineData("http://itsm.contoso.com/hook", "EscalationWebhookUrl")]
    [InlineData("not a url", "EscalationWebhookUrl")]
    public void APlainHttpOrMalformedUrl_IsRefused(string url, string setting) =>
        Assert.Contains(setting, Validator.Validate(null, new NotificationOptions { EscalationWebhookUrl = url, EscalationWebhookSecret = new string('s', 40) }).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void AWebhookWithoutAStrongSecret_IsRefused() =>
        Assert.Contains("EscalationWebhookSecret", Validator.Validate(null, new NotificationOptions { EscalationWebhookUrl = "https://itsm.contoso.com/hook", EscalationWebhookSecret = "short" }).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void TheSignature_IsHmacSha256OverTimestampDotBody()
    {
        var body = "{\"a\":1}"u8.ToArray();

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, "1700000000.{\"a\":1}"u8));

        Assert.Equal(expected, EscalationWebhook.Sign("key", "1700000000", body));
    }
}
