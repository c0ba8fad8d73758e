using System.Diagnostics;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Diagnostics;
using CredentialBot.Store.Entities;
using CredentialBot.Telemetry;

namespace CredentialBot.Digests;

/// <summary>
/// One person's send as telemetry: a <see cref="HostTelemetry.SendSpan"/> span with its notices, how often they were
/// tried before, the Connector retries inside this attempt and the outcome; and the sends-by-outcome counter. Disposed
/// without an outcome, the send threw.
/// </summary>
public sealed class SendTrace : IDisposable
{
    private readonly Activity? _span;

    private SendTrace(IReadOnlyList<OutboxMessageRecord> messages)
    {
        _span = HostTelemetry.Source.StartActivity(HostTelemetry.SendSpan);
        _span?.SetTag(HostTelemetry.SendNoticesAttribute, messages.Count)
            .SetTag(HostTelemetry.SendRetriesAttribute, messages.Count == 0 ? 0 : Math.Max(0, messages.Max(m => m.Attempts) - 1));
    }

    /// <summary>How the send ended; one of <see cref="HostTelemetry.SendOutcomes"/>.</summary>
    public string? Outcome { get; set; }

    public static SendTrace Start(IReadOnlyList<OutboxMessageRecord> messages) => new(messages);

    /// <summary>The outcome a Connector answer stands for.</summary>
    public static string OutcomeOf(SendOutcome outcome) => outcome switch
    {
        SendOutcome.Sent => HostTelemetry.SendOutcomes.Sent,
        SendOutcome.RecipientGone => HostTelemetry.SendOutcomes.RecipientGone,
        SendOutcome.Throttled => HostTelemetry.SendOutcomes.Throttled,
        _ => HostTelemetry.SendOutcomes.Failed,
    };

    public void Dispose()
    {
        var outcome = Outcome ?? HostTelemetry.SendOutcomes.Failed;
        HostTelemetry.Sends.Add(1, new KeyValuePair<string, object?>(HostTelemetry.OutcomeAttribute, outcome));
        if (_span is not null)
        {
            _span.SetTag(HostTelemetry.OutcomeAttribute, outcome)
                .SetTag(HostTelemetry.SendConnectorRetriesAttribute, _span.Events.Count(e => e.Name == BotTelemetry.ConnectorRetryEvent));
            if (Outcome is null)
            {
                _span.SetStatus(ActivityStatusCode.Error);
            }

            _span.Dispose();
        }
    }
}
