using CredentialBot.Digests;

namespace CredentialBot.Tests.Jobs;

/// <summary>When an undelivered notice is tried again: the Connector's Retry-After, else 2^n minutes, at most six times.</summary>
public sealed class DeliveryBackoffTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    public void NextAttempt_WithoutRetryAfter_DoublesEachTime(int attempts, int minutes) =>
        Assert.Equal(Now.AddMinutes(minutes), DeliveryBackoff.NextAttempt(attempts, Now));

    [Fact]
    public void NextAttempt_HonoursRetryAfter() =>
        Assert.Equal(Now.AddSeconds(30), DeliveryBackoff.NextAttempt(4, Now, TimeSpan.FromSeconds(30)));

    [Theory]
    [InlineData(6)]
    [InlineData(60)]
    public void NextAttempt_AfterTheLastAttempt_IsNever(int attempts) =>
        Assert.Null(DeliveryBackoff.NextAttempt(attempts, Now, TimeSpan.FromSeconds(1)));
}
