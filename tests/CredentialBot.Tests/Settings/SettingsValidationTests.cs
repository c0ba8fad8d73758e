using System.ComponentModel.DataAnnotations;
using CredentialBot.Admin.Import;
using CredentialBot.Digests;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Scanning;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Tests.Settings;

/// <summary>Settings that cannot work stop start-up with a message that names the setting to fix.</summary>
public sealed class SettingsValidationTests
{
    [Fact]
    public void KeyVault_AnHttpsVault_IsFine()
    {
        var options = new KeyVaultOptions();
        options.AllowedVaults.Add("https://contoso.vault.azure.net/");

        Assert.True(new KeyVaultOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("http://contoso.vault.azure.net/")]
    [InlineData("contoso.vault.azure.net")]
    [InlineData("")]
    public void KeyVault_AVaultThatIsNotAnHttpsAddress_IsRefusedByIndex(string vault)
    {
        var options = new KeyVaultOptions();
        options.AllowedVaults.Add("https://contoso.vault.azure.net/");
        options.AllowedVaults.Add(vault);

        Assert.Contains("KeyVault:AllowedVaults:1", new KeyVaultOptionsValidator().Validate(null, options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_TheDefaults_AreFine() => Assert.True(new ImportOptionsValidator().Validate(null, new ImportOptions()).Succeeded);

    [Theory]
    [InlineData("https://evil.example/x")]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData(" ")]
    public void Import_AHostThatIsNotAHostName_IsRefused(string host)
    {
        var options = new ImportOptions();
        options.AllowedDownloadHosts.Add(host);

        Assert.Contains("Import:AllowedDownloadHosts:1", new ImportOptionsValidator().Validate(null, options).FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ImportOptionsValidator.MaxFileBytesLimit + 1)]
    public void Import_AFileSizeOutOfRange_IsRefused(int bytes) =>
        Assert.Contains("Import:MaxFileBytes", new ImportOptionsValidator().Validate(null, new ImportOptions { MaxFileBytes = bytes }).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void Cards_AButtonStyleThatDoesNotExist_IsRefused() =>
        Assert.Contains("Cards:DialogButtons", new CardOptionsValidator().Validate(null, new CardOptions { DialogButtons = (DialogButtons)7 }).FailureMessage, StringComparison.Ordinal);

    [Theory]
    [InlineData("DispatchInterval")]
    [InlineData("MaxConcurrentSends")]
    public void Notifications_AZeroIntervalOrConcurrency_IsRefused(string setting)
    {
        var options = setting == "DispatchInterval" ? new NotificationOptions { DispatchInterval = TimeSpan.Zero } : new NotificationOptions { MaxConcurrentSends = 0 };

        Assert.Contains("Notifications:" + setting, new NotificationOptionsValidator().Validate(null, options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SendLimits_TheDefaults_PaceAtTheTenantLimit_WhichTheHardWindowHolds()
    {
        var options = new SendLimitOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(50, options.PacedSendsPerSecond);
    }

    [Theory]
    [InlineData(50, 49)]
    [InlineData(10, 10)]
    public void SendLimits_AHeadroomThatLeavesTooFewSends_IsRefusedNamingIt(int limit, int headroom)
    {
        var failures = Validate(new SendLimitOptions { TenantSendsPerSecond = limit, TenantSendHeadroom = headroom });

        Assert.Contains(failures, f => f.ErrorMessage!.Contains("Notifications:TenantSendHeadroom", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(10.5)]
    public void Scanner_AYieldToPeopleOutOfRange_IsRefused(double yieldToPeople) =>
        Assert.Contains(Validate(new ScannerOptions { YieldToPeople = yieldToPeople }), r => r.ErrorMessage!.Contains("Scanner:YieldToPeople", StringComparison.Ordinal));

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void Scanner_BatchesPerTransactionOutOfRange_IsRefused(int batches) =>
        Assert.Contains(Validate(new ScannerOptions { BatchesPerTransaction = batches }), r => r.ErrorMessage!.Contains("Scanner:BatchesPerTransaction", StringComparison.Ordinal));

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
