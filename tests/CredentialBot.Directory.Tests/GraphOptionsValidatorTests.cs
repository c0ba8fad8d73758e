namespace CredentialBot.Directory.Tests;

/// <summary>A bad Graph setting stops start-up with a message naming the setting.</summary>
public sealed class GraphOptionsValidatorTests
{
    private static readonly GraphOptionsValidator Validator = new();

    [Fact]
    public void TheDefaults_ForASimulator_AreValid()
    {
        Assert.True(Validator.Validate(null, new GraphOptions { UseSimulator = true }).Succeeded);
    }

    [Theory]
    [InlineData(150, 150, "Graph:KeyCredentialInteractiveReserve")]
    [InlineData(150, -1, "Graph:KeyCredentialInteractiveReserve")]
    [InlineData(4, 30, "Graph:KeyCredentialInteractiveReserve")]
    public void AReserveThatLeavesTheScanNothing_OrIsNegative_IsRefused(int requests, int reserve, string setting)
    {
        var result = Validator.Validate(null, new GraphOptions { UseSimulator = true, KeyCredentialRequests = requests, KeyCredentialInteractiveReserve = reserve });

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPacing_TheReserveIsIgnored()
    {
        Assert.True(Validator.Validate(null, new GraphOptions { UseSimulator = true, KeyCredentialRequests = 0, KeyCredentialInteractiveReserve = 30 }).Succeeded);
    }

    [Fact]
    public void ANegativeScanShare_IsRefused()
    {
        var result = Validator.Validate(null, new GraphOptions { UseSimulator = true, ScanResourceUnitsPerSecond = -1 });

        Assert.True(result.Failed);
        Assert.Contains("Graph:ScanResourceUnitsPerSecond", result.FailureMessage, StringComparison.Ordinal);
    }
}
