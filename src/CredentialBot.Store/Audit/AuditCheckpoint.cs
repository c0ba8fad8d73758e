using System.Globalization;
using System.Text.Json.Serialization;

namespace CredentialBot.Store.Audit;

/// <summary>
/// One line of the checkpoint file: at <see cref="At"/> the store held <see cref="Count"/> events, the newest being
/// <see cref="Head"/> with MAC <see cref="HeadMac"/>, keyed from <see cref="KeyedFrom"/> with key <see cref="KeyId"/>.
/// <see cref="Mac"/> covers every other field under the chain key, so a line cannot be edited or forged without it.
/// </summary>
internal sealed record AuditCheckpoint(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("head")] long Head,
    [property: JsonPropertyName("headMac")] string HeadMac,
    [property: JsonPropertyName("keyedFrom")] long KeyedFrom,
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("mac")] string? Mac = null)
{
    public const int CurrentVersion = 1;

    private const string Domain = "CredentialBot.AuditCheckpoint.v1";

    public AuditCheckpoint Signed(AuditKey key) => this with { Mac = key.Mac(Domain, Fields()) };

    public bool VerifiesWith(AuditKey key) => key.Verifies(Mac, Domain, Fields());

    /// <summary>"the checkpoint of 2026-12-04 09:00:00 UTC".</summary>
    public string Name => $"the checkpoint of {At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";

    private IEnumerable<string?> Fields() =>
    [
        Version.ToString(CultureInfo.InvariantCulture), At.UtcTicks.ToString(CultureInfo.InvariantCulture),
        Count.ToString(CultureInfo.InvariantCulture), Head.ToString(CultureInfo.InvariantCulture), HeadMac,
        KeyedFrom.ToString(CultureInfo.InvariantCulture), KeyId, Reason,
    ];
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditCheckpoint))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
