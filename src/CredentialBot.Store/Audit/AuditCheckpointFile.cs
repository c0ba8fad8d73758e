using System.Text;
using System.Text.Json;

namespace CredentialBot.Store.Audit;

/// <summary>
/// The checkpoint file: one JSON line per checkpoint, only ever appended to, created readable and writable by this
/// user only. A line is written with one call and flushed to disk before the append returns.
/// </summary>
internal static class AuditCheckpointFile
{
    /// <summary>A line as read: its number, and the checkpoint or null when the line is not one.</summary>
    public sealed record Line(int Number, AuditCheckpoint? Checkpoint, string Text);

    public static void Append(string path, AuditCheckpoint checkpoint)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(checkpoint, AuditJsonContext.Default.AuditCheckpoint) + "\n");
        var append = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            append.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, append);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Every non-empty line, or null when the file does not exist.</summary>
    public static IReadOnlyList<Line>? ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = new List<Line>();
        var number = 0;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8);
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (text.Length > 0)
            {
                lines.Add(new Line(number, Parse(text), text));
            }
        }

        return lines;
    }

    private static AuditCheckpoint? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, AuditJsonContext.Default.AuditCheckpoint) is { HeadMac: not null, KeyId: not null, Reason: not null } checkpoint ? checkpoint : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
