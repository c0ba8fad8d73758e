using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json.Nodes;
using CredentialBot.Shared.Commands;
using CredentialBot.Status;
using CredentialBot.Packaging;
using CredentialBot.TestKit.Schemas;

namespace CredentialBot.Tests.Packaging;

/// <summary>
/// The Teams app package built from manifest.template.json: valid against the official v1.24 schema, icons as
/// Teams requires, and a command menu that lists exactly the commands the bot implements.
/// </summary>
public sealed class AppPackageTests : IDisposable
{
    private static readonly string Root = FindRoot();
    private readonly string _output = Path.Combine(Path.GetTempPath(), "cb-package-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_output))
        {
            System.IO.Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public void ThePackage_HoldsTheManifestAndBothIconsAtItsRoot()
    {
        using var zip = ZipFile.OpenRead(AppPackageBuilder.Build(Root, "local", _output));

        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheLocalManifest_IsValidAgainstTheV124Schema()
    {
        var manifest = BuildManifest();

        Assert.DoesNotContain("${{", manifest, StringComparison.Ordinal);
        Assert.Empty(await OfficialSchemas.ValidateManifestAsync(manifest));
    }

    [Fact]
    public async Task TheSchemaCheck_CatchesAWrongScope()
    {
        var manifest = JsonNode.Parse(BuildManifest())!;
        manifest["bots"]![0]!["scopes"]![2] = "groupchat";

        Assert.NotEmpty(await OfficialSchemas.ValidateManifestAsync(manifest.ToJsonString()));
    }

    [Fact]
    public void TheMessageExtension_DeclaresTheSearchCommandTheCodeRoutes_AndUnfurlsEntraLinks()
    {
        var extension = JsonNode.Parse(BuildManifest())!["composeExtensions"]!.AsArray().Single()!;

        var command = extension["commands"]!.AsArray().Single()!;
        Assert.Equal((FindApp.CommandId, "query"), ((string)command["id"]!, (string)command["type"]!));
        Assert.Equal(["entra.microsoft.com", "portal.azure.com"], extension["messageHandlers"]![0]!["value"]!["domains"]!.AsArray().Select(d => (string)d!));
    }

    [Fact]
    public void TheBot_IsDeclaredForPersonalTeamAndGroupChat_AndNothingUnbuiltIsDeclared()
    {
        var manifest = JsonNode.Parse(BuildManifest())!;

        Assert.Equal(["personal", "team", "groupChat"], manifest["bots"]![0]!["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Null(manifest["staticTabs"]);
        Assert.Null(manifest["webApplicationInfo"]);
    }

    [Fact]
    public void TheCommandMenus_OfferOnlyImplementedCommands_AtMostTenPerScope_WithFileAndLinkCommandsOnlyInPersonalChat()
    {
        var implemented = typeof(CommandNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var lists = JsonNode.Parse(BuildManifest())!["bots"]![0]!["commandLists"]!.AsArray();
        var byScope = lists.SelectMany(l => l!["scopes"]!.AsArray().Select(s => ((string)s!, l["commands"]!.AsArray().Select(c => (string)c!["title"]!).ToList()))).ToDictionary(x => x.Item1, x => x.Item2);

        Assert.Equal(["groupChat", "personal", "team"], byScope.Keys.Order(StringComparer.Ordinal));
        Assert.All(byScope.Values, commands =>
        {
            Assert.InRange(commands.Count, 1, 10);
            Assert.All(commands, c => Assert.Contains(c, implemented));
        });
        Assert.Contains(CommandNames.ImportOwners, byScope["personal"]);
        Assert.DoesNotContain(CommandNames.ImportOwners, byScope["team"]);
        Assert.DoesNotContain(CommandNames.ExportAudit, byScope["groupChat"]);
    }

    [Fact]
    public void TheIcons_Are192ColourAnd32TransparentOutline()
    {
        var color = Png.Read(Path.Combine(Root, "appPackage", "color.png"));
        var outline = Png.Read(Path.Combine(Root, "appPackage", "outline.png"));

        Assert.Equal((192, 192), (color.Width, color.Height));
        Assert.Equal((32, 32), (outline.Width, outline.Height));
        Assert.Equal(0, outline.AlphaAt(0, 0));
        Assert.True(outline.Pixels().All(p => p.A == 0 || (p.R, p.G, p.B) == (255, 255, 255)), "The outline icon must be white on transparent.");
        Assert.Contains(outline.Pixels(), p => p.A > 0);
    }

    [Fact]
    public void AMissingValue_StopsTheBuild_NamingEveryMissingVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AppPackageBuilder.Render("""{"id":"${{TEAMS_APP_ID}}","bot":"${{BOT_ID}}","name":"x${{APP_NAME_SUFFIX}}"}""", new Dictionary<string, string> { ["BOT_ID"] = "", ["APP_NAME_SUFFIX"] = "" }));

        Assert.Contains("BOT_ID, TEAMS_APP_ID", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("APP_NAME_SUFFIX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_AreJsonEscaped_SoTheyCannotBreakTheManifest()
    {
        var rendered = AppPackageBuilder.Render("""{"name":"${{NAME}}"}""", new Dictionary<string, string> { ["NAME"] = "Contoso \"IT\"\\" });

        Assert.Equal("Contoso \"IT\"\\", (string?)JsonNode.Parse(rendered)!["name"]);
    }

    [Fact]
    public void EnvironmentVariables_OverrideTheEnvironmentFile()
    {
        AppPackageBuilder.Build(Root, "local", _output, new Dictionary<string, string?> { ["BOT_ID"] = "11111111-2222-3333-4444-555555555555" });

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_output, "manifest.local.json")))!;
        Assert.Equal("11111111-2222-3333-4444-555555555555", (string?)manifest["bots"]![0]!["botId"]);
    }

    [Fact]
    public void AnUnknownEnvironment_SaysWhichFileIsMissing()
    {
        var error = Assert.Throws<FileNotFoundException>(() => AppPackageBuilder.Build(Root, "nowhere", _output));

        Assert.Contains(".env.nowhere", error.Message, StringComparison.Ordinal);
        Assert.Contains(".env.example", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePackageVerb_WritesTheZip_AndReportsWhere()
    {
        using var output = new StringWriter();

        var exit = await AppPackageCommand.RunAsync(["package", "--env", "local", "--root", Root, "--out", _output], output);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(_output, "appPackage.local.zip")));
        Assert.Contains("appPackage.local.zip", output.ToString(), StringComparison.Ordinal);
    }

    private string BuildManifest()
    {
        AppPackageBuilder.Build(Root, "local", _output);
        return File.ReadAllText(Path.Combine(_output, "manifest.local.json"));
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "manifest.template.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("manifest.template.json not found above the test output folder.");
    }

    /// <summary>A minimal reader for 8-bit RGBA PNGs (what scripts/make-icons.py writes).</summary>
    private sealed record Png(int Width, int Height, byte[] Rgba)
    {
        public static Png Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
            int width = 0, height = 0;
            using var compressed = new MemoryStream();
            for (var offset = 8; offset < bytes.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
                var kind = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
                var data = bytes.AsSpan(offset + 8, length);
                if (kind == "IHDR")
                {
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]);
                    Assert.Equal(6, data[9]);
                }
                else if (kind == "IDAT")
                {
                    compressed.Write(data);
                }

                offset += 12 + length;
            }

            compressed.Position = 0;
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            using var raw = new MemoryStream();
            inflater.CopyTo(raw);
            var scanlines = raw.ToArray();
            var rgba = new byte[width * height * 4];
            for (var y = 0; y < height; y++)
            {
                Assert.Equal(0, scanlines[y * ((width * 4) + 1)]);
                Array.Copy(scanlines, (y * ((width * 4) + 1)) + 1, rgba, y * width * 4, width * 4);
            }

            return new Png(width, height, rgba);
        }

        public int AlphaAt(int x, int y) => Rgba[(((y * Width) + x) * 4) + 3];

        public IEnumerable<(byte R, byte G, byte B, byte A)> Pixels()
        {
            for (var i = 0; i < Rgba.Length; i += 4)
            {
                yield return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
            }
        }
    }
}
