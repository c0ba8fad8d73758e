using System.Globalization;

namespace CredentialBot.Simulator;

/// <summary>A technical or business owner of a demo App. Graph has no such concept; CredentialBot keeps these in its store.</summary>
public sealed record StoreOwnership(string AppObjectId, string AppId, string PersonObjectId, string Kind, bool ManageCredentials);

/// <summary>
/// A realistic demo tenant whose dates are relative to "now", so days-left stay true whenever it runs: expired
/// secrets, secrets 3/10/25/60/400 days from expiry, certificates, an app nobody owns, an app whose owner is
/// disabled, SAML service principals, an app with more owners than Graph expands. Its people include the
/// Microsoft 365 Agents Playground's mock users (ids are the Playground's, not valid GUIDs), so Alex Wilber
/// sees their apps the moment the chat opens.
/// </summary>
public static class DemoTenant
{
    public const string Alex = "00000000-0000-0000-0000-0000000000020";
    public const string Megan = "00000000-0000-0000-0000-0000000000021";
    public const string Adele = "00000000-0000-0000-0000-0000000000022";
    public const string Isaiah = "00000000-0000-0000-0000-0000000000023";
    public const string Patti = "00000000-0000-0000-0000-0000000000024";
    public const string Lynne = "00000000-0000-0000-0000-0000000000025";
    public const string Diego = "7d2b5f3e-51c4-4f0e-9a5e-3c1d2e8f4b60";

    private static readonly SimUser[] People =
    [
        new(Alex, "Alex Wilber", "alexw@example.com", "alexw@example.com"),
        new(Megan, "Megan Bowen", "meganb@example.com", "meganb@example.com"),
        new(Adele, "Adele Vance", "adelev@example.com", "adelev@example.com"),
        new(Isaiah, "Isaiah Langer", "isaiah@example.com", "isaiahl@example.com"),
        new(Patti, "Patti Fernandez", "pattif@example.com", "pattif@example.com"),
        new(Lynne, "Lynne Robbins", "lynner@example.com", "lynner@example.com"),
        new(Diego, "Diego Siciliani", "diegos@example.com", "diegos@example.com", AccountEnabled: false),
    ];

    /// <summary>Technical and business owners for the host to seed into its store in local mode.</summary>
    public static IReadOnlyList<StoreOwnership> StoreOwnerships { get; } =
    [
        Own(1, Alex, "Technical", true),
        Own(1, Patti, "Business", false),
        Own(2, Patti, "Business", false),
        Own(3, Alex, "Technical", true),
        Own(4, Isaiah, "Technical", true),
        Own(10, Lynne, "Business", false),
        Own(17, Patti, "Technical", true),
        Own(22, Adele, "Business", false),
        Own(19, Megan, "Technical", false),
    ];

    /// <summary>
    /// CredentialBot's own service principal in the demo tenant: the caller, for Graph's ownership rules
    /// (<see cref="SimulatorTenant.CallerServicePrincipalId"/>). It has no credentials and no owners, so scans pass over it.
    /// </summary>
    public const string CredentialBotServicePrincipal = "c0c0c0c0-0000-4000-8000-000000000001";

    public const string CredentialBotAppId = "c0c0c0c0-0000-4000-8000-0000000000a1";

    /// <summary>The security group whose members are CredentialBot admins in the demo; Megan Bowen is in it through a nested group.</summary>
    public const string AdminGroup = "a0a0a0a0-0000-4000-8000-000000000001";

    public static string ObjectId(int n) => string.Create(CultureInfo.InvariantCulture, $"5f0c1a2b-7d3e-4a51-9b2c-{n:D12}");

    public static string AppId(int n) => string.Create(CultureInfo.InvariantCulture, $"1f2e3d4c-5b6a-4978-8a9b-{n:D12}");

    public static SimulatorTenant Create(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var tenant = new SimulatorTenant();
        foreach (var person in People)
        {
            tenant.AddUser(person);
        }

        tenant.AddGroup(new SimGroup("a0a0a0a0-0000-4000-8000-000000000002", "Identity Operations", [Megan]));
        tenant.AddGroup(new SimGroup(AdminGroup, "CredentialBot Admins", ["a0a0a0a0-0000-4000-8000-000000000002"]));

        var engineers = Enumerable.Range(1, 25)
            .Select(i => tenant.AddUser(new SimUser($"e0e0e0e0-0000-4000-8000-{i:D12}", $"Platform Engineer {i:D2}", $"engineer{i:D2}@example.com", $"engineer{i:D2}@example.com")).Id)
            .ToArray();

        SimCredential Secret(string name, double days) => new(Guid.NewGuid().ToString(), name, now.AddDays(days - 365), now.AddDays(days), name[..Math.Min(3, name.Length)]);
        SimCredential Cert(string name, double days) => new(Guid.NewGuid().ToString(), name, now.AddDays(days - 365), now.AddDays(days), CustomKeyIdentifier: Convert.ToHexString(Guid.NewGuid().ToByteArray()));

        void App(int n, string name, SimCredential[] secrets, SimCredential[] certs, params string[] owners) => tenant.Add(new SimObject
        {
            Id = ObjectId(n),
            AppId = AppId(n),
            DisplayName = name,
            Kind = SimObjectKind.Application,
            CreatedDateTime = now.AddDays(-700 + n),
            PasswordCredentials = [.. secrets],
            KeyCredentials = [.. certs],
            OwnerIds = [.. owners],
        });

        void ServicePrincipal(int n, string name, string? sso, SimCredential[] secrets, SimCredential[] certs, params string[] owners) => tenant.Add(new SimObject
        {
            Id = ObjectId(n),
            AppId = AppId(n),
            DisplayName = name,
            Kind = SimObjectKind.ServicePrincipal,
            ServicePrincipalType = "Application",
            PreferredSingleSignOnMode = sso,
            Tags = sso is null ? [] : ["WindowsAzureActiveDirectoryCustomSingleSignOnApplication"],
            PasswordCredentials = [.. secrets],
            KeyCredentials = [.. certs],
            OwnerIds = [.. owners],
        });

        App(1, "Payroll API", [Secret("prod-secret", 3.5)], [Cert("CN=payroll-api", 400.5)], Alex, Megan);
        App(2, "Contoso Expenses", [Secret("legacy-secret", -5.5)], [], Alex);
        App(3, "HR Portal", [Secret("hr-portal-secret", 10.5)], [], Megan);
        App(4, "Data Lake Ingest", [], [Cert("CN=datalake-ingest", 25.5)], Alex, Isaiah);
        App(5, "Customer Feedback Bot", [Secret("bot-secret", 60.5)], [], Adele);
        App(6, "Inventory Sync", [Secret("sync-secret", 400.5)], [], Alex);
        App(7, "Legacy Fax Gateway", [Secret("fax-secret", 45.5)], []);
        App(8, "Marketing Analytics", [Secret("analytics-secret", 20.5)], [], Diego);
        App(9, "Platform Shared Services", [Secret("shared-secret", 90.5)], [], [Alex, Megan, .. engineers]);
        App(10, "Sales Forecasting", [Secret("forecast-secret", 14.5)], [], Megan);
        App(11, "Warehouse Robotics", [Secret("robot-fleet", 2.5), Secret("robot-fleet-next", 300.5)], [], Isaiah);
        App(12, "Travel Booking", [], [Cert("CN=travel-booking", -30.5)], Patti);
        App(13, "Identity Sync Agent", [], [Cert("CN=identity-sync", 7.5)], Lynne);
        App(14, "Build Pipeline", [Secret("ci-deploy", 1.5)], [], Alex);
        App(15, "Compliance Reporter", [], [], Megan);
        App(16, "Contoso Mobile App", [], [], Adele);
        App(17, "Finance Reconciliation", [Secret("recon-secret", 180.5)], [], Megan);
        App(18, "Payroll API (Staging)", [Secret("staging-secret", 29.5)], [], Alex);
        App(19, "Support Ticket Router", [Secret("router-secret", 5.5)], [], Isaiah);
        App(20, "Onboarding Workflow", [Secret("workflow-secret", 200.5)], [Cert("CN=onboarding", 12.5)], Adele, Megan);
        ServicePrincipal(21, "Contoso SSO (SAML)", "saml", [], [Cert("CN=Microsoft Azure Federated SSO Certificate", 18.5)], Megan);
        ServicePrincipal(22, "ServiceNow Connector", null, [Secret("servicenow-client", 9.5)], [], Alex);
        ServicePrincipal(23, "Zscaler Provisioning", null, [], [Cert("CN=zscaler-scim", 120.5)]);
        ServicePrincipal(24, "Adobe Sign (SAML)", "saml", [], [Cert("CN=Microsoft Azure Federated SSO Certificate", -2.5)], Patti);
        ServicePrincipal(25, "GitHub Enterprise SSO", "saml", [], [Cert("CN=Microsoft Azure Federated SSO Certificate", 365.5)], Isaiah);
        tenant.Add(new SimObject
        {
            Id = CredentialBotServicePrincipal,
            AppId = CredentialBotAppId,
            DisplayName = "CredentialBot",
            Kind = SimObjectKind.ServicePrincipal,
            ServicePrincipalType = "Application",
        });
        tenant.CallerServicePrincipalId = CredentialBotServicePrincipal;

        // A common, lax posture, so the compliance card has findings to show: users may register apps and consent to them,
        // no app-management restrictions on credentials, no admin consent workflow.
        tenant.Policies.UsersCanRegisterApps = true;
        tenant.Policies.AdminConsentRequestsEnabled = false;
        tenant.Policies.AppManagement.IsEnabled = false;

        // Some credentials in use, so "last used" has something to say: Payroll API's secret signed in an hour ago, and
        // Data Lake Ingest's certificate three weeks ago.
        tenant.SignIns.Record(AppId(1), tenant.Find(ObjectId(1))!.PasswordCredentials[0].KeyId, now.AddHours(-1));
        tenant.SignIns.Record(AppId(4), tenant.Find(ObjectId(4))!.KeyCredentials[0].KeyId, now.AddDays(-21));
        return tenant;
    }

    private static StoreOwnership Own(int app, string person, string kind, bool manageCredentials) =>
        new(ObjectId(app), AppId(app), person, kind, manageCredentials);
}

/// <summary>A large deterministic tenant for benchmarks and scale tests.</summary>
public static class GeneratedTenant
{
    public static SimulatorTenant Create(int applications, int servicePrincipals, int seed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var random = new Random(seed);
        var tenant = new SimulatorTenant();
        var people = Enumerable.Range(0, 2_000)
            .Select(i => tenant.AddUser(new SimUser(
                string.Create(CultureInfo.InvariantCulture, $"aaaaaaaa-0000-4000-8000-{i:D12}"),
                string.Create(CultureInfo.InvariantCulture, $"Generated Person {i:D4}"),
                string.Create(CultureInfo.InvariantCulture, $"person{i:D4}@example.com"),
                string.Create(CultureInfo.InvariantCulture, $"person{i:D4}@example.com"),
                AccountEnabled: i % 97 != 0)).Id)
            .ToArray();

        SimObject Make(int i, SimObjectKind kind)
        {
            var secrets = Enumerable.Range(0, random.Next(0, 3))
                .Select(s => new SimCredential(GuidFor(random), string.Create(CultureInfo.InvariantCulture, $"secret-{s}"), now.AddDays(-200), now.AddDays(random.Next(-60, 730) + 0.5), "abc"))
                .ToList();
            var certs = random.Next(0, 4) == 0
                ? [new SimCredential(GuidFor(random), "CN=generated", now.AddDays(-100), now.AddDays(random.Next(-30, 400) + 0.5))]
                : new List<SimCredential>();
            var owners = Enumerable.Range(0, random.Next(0, random.Next(0, 30) == 0 ? 30 : 4)).Select(_ => people[random.Next(people.Length)]).Distinct().ToList();
            return new SimObject
            {
                Id = ObjectId(kind, i),
                AppId = Identifier(kind, i, role: 1),
                DisplayName = string.Create(CultureInfo.InvariantCulture, $"{(kind == SimObjectKind.Application ? "Generated App" : "Generated Service")} {i:D6}"),
                Kind = kind,
                CreatedDateTime = now.AddDays(-random.Next(1, 1_000)),
                ServicePrincipalType = kind == SimObjectKind.ServicePrincipal ? "Application" : null,
                PasswordCredentials = secrets,
                KeyCredentials = certs,
                OwnerIds = owners,
            };
        }

        for (var i = 0; i < applications; i++)
        {
            tenant.Add(Make(i, SimObjectKind.Application));
        }

        for (var i = 0; i < servicePrincipals; i++)
        {
            tenant.Add(Make(i, SimObjectKind.ServicePrincipal));
        }

        return tenant;
    }

    /// <summary>
    /// The object id of the <paramref name="index"/>-th generated object of a kind. Entra's object ids are random, so
    /// the order Graph lists objects in has nothing to do with their keys: these lead with scrambled digits for the
    /// same reason. Ids that grew with the listing would let every index the store keeps on them take its inserts in
    /// order, which no real tenant does (issue 18: benchmarks that cannot flatter).
    /// </summary>
    public static string ObjectId(SimObjectKind kind, int index) => Identifier(kind, index, role: 0);

    private static string Identifier(SimObjectKind kind, int index, int role)
    {
        // SplitMix64's finaliser permutes 64-bit values and looks random, so ids lead with digits in no order; the index
        // at the end keeps each id unique and readable.
        var scrambled = Mix(unchecked((ulong)index + 0x9E3779B97F4A7C15UL));
        var kindDigit = kind == SimObjectKind.Application ? 5 : 6;
        return string.Create(CultureInfo.InvariantCulture, $"{scrambled >> 32:x8}-{(scrambled >> 16) & 0xFFFF:x4}-4{kindDigit}{role}0-8000-{index:D12}");
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    private static string GuidFor(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}
