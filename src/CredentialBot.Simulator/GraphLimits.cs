using Microsoft.Extensions.Primitives;

namespace CredentialBot.Simulator;

/// <summary>
/// Graph's published identity-and-access limits (learn.microsoft.com/graph/throttling-limits, specs/graph-calls.md
/// §9), for benchmark (b) and throttling tests. Off unless a <see cref="SimulatorOptions.Limits"/> is given.
/// </summary>
public sealed class GraphLimits
{
    /// <summary>The application+tenant resource-unit budget: 8,000 per 10 s for a tenant over 500 users (size L).</summary>
    public int ResourceUnits { get; set; } = 8_000;

    public TimeSpan ResourceUnitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests that <c>$select</c> <c>keyCredentials</c>: 150 per minute per tenant.</summary>
    public int KeyCredentialRequests { get; set; } = 150;

    public TimeSpan KeyCredentialWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Meters each Graph request (each one inside a <c>$batch</c> too) against <see cref="GraphLimits"/>: a token bucket of
/// resource units, refilled continuously, and a sliding one-minute log of <c>keyCredentials</c> requests. A request
/// over either gets 429 with <c>Retry-After</c> and Graph's throttle headers, and consumes nothing; an admitted one
/// reports its cost in <c>x-ms-resource-unit</c>.
/// </summary>
public sealed class GraphMeter(GraphLimits limits, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _keyCredentialRequests = new();
    private double _tokens = limits.ResourceUnits;
    private DateTimeOffset _refilledAt = time.GetUtcNow();
    private long _throttled;
    private long _resourceUnits;
    private long _keyCredentialRequestsAdmitted;

    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Admitted requests that selected keyCredentials.</summary>
    public long KeyCredentialRequests => Interlocked.Read(ref _keyCredentialRequestsAdmitted);

    public long ResourceUnitsUsed => Interlocked.Read(ref _resourceUnits);

    /// <summary>Null when admitted (and <paramref name="cost"/> is charged); otherwise the 429 to send.</summary>
    public GraphResponse? Admit(string method, string[] segments, Dictionary<string, StringValues> query, out int cost)
    {
        cost = CostOf(method, segments, query);
        var selectsKeys = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase)
            && query.TryGetValue("$select", out var select)
            && select.ToString().Contains("keyCredentials", StringComparison.OrdinalIgnoreCase);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _tokens = Math.Min(limits.ResourceUnits, _tokens + ((now - _refilledAt).TotalSeconds * limits.ResourceUnits / limits.ResourceUnitWindow.TotalSeconds));
            _refilledAt = now;
            while (_keyCredentialRequests.TryPeek(out var oldest) && now - oldest >= limits.KeyCredentialWindow)
            {
                _keyCredentialRequests.Dequeue();
            }

            if (selectsKeys && _keyCredentialRequests.Count >= limits.KeyCredentialRequests)
            {
                var wait = limits.KeyCredentialWindow - (now - _keyCredentialRequests.Peek());
                return Throttle(wait, "Tenant/Read", "KeyCredentialsRequestLimitExceeded");
            }

            if (_tokens < cost)
            {
                var wait = TimeSpan.FromSeconds((cost - _tokens) * limits.ResourceUnitWindow.TotalSeconds / limits.ResourceUnits);
                return Throttle(wait, "Tenant_Application/ReadWrite", "ResourceUnitLimitExceeded");
            }

            _tokens -= cost;
            if (selectsKeys)
            {
                _keyCredentialRequests.Enqueue(now);
                _keyCredentialRequestsAdmitted++;
            }
        }

        Interlocked.Add(ref _resourceUnits, cost);
        return null;
    }

    /// <summary>
    /// The published base costs (GET applications and users 2, group members 3, transitive members 5,
    /// checkMemberGroups 4, anything else 1), less 1 for <c>$select</c>, plus 1 for <c>$expand</c>, less 1 for
    /// <c>$top</c> under 20, never below 1.
    /// </summary>
    public static int CostOf(string method, string[] segments, Dictionary<string, StringValues> query)
    {
        var cost = (method.ToUpperInvariant(), segments) switch
        {
            ("GET", ["applications" or "users"]) => 2,
            ("GET", ["groups", _, "members"]) => 3,
            ("GET", ["groups", _, "transitiveMembers", ..]) => 5,
            ("POST", ["users", _, "checkMemberGroups"]) => 4,
            _ => 1,
        };
        cost -= query.ContainsKey("$select") ? 1 : 0;
        cost += query.ContainsKey("$expand") ? 1 : 0;
        cost -= query.TryGetValue("$top", out var top) && int.TryParse(top, out var n) && n < 20 ? 1 : 0;
        return Math.Max(1, cost);
    }

    private GraphResponse Throttle(TimeSpan wait, string scope, string reason)
    {
        Interlocked.Increment(ref _throttled);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return GraphDispatcher.Error(429, "TooManyRequests", "Too many requests: the application exceeded a Graph limit.", new Dictionary<string, string>
        {
            ["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["x-ms-throttle-scope"] = scope,
            ["x-ms-throttle-information"] = reason,
        });
    }
}
