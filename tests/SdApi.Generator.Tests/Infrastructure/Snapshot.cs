// Verify.Xunit is not in this registry copy: this is the small golden-file helper the tests need.
using System.Text;
using SdApi.Tests.Shared;

namespace SdApi.Generator.Tests.Infrastructure;

/// <summary>Compares text with a checked-in baseline <c>Snapshots/&lt;name&gt;.verified.cs</c>. On a mismatch it writes
/// <c>&lt;name&gt;.received.cs</c> beside it (git-ignored) and fails with a line diff. Set SDAPI_ACCEPT_SNAPSHOTS=1 to
/// write the baselines instead.</summary>
internal static class Snapshot
{
    private static string Folder => RepoPaths.Combine("tests", "SdApi.Generator.Tests", "Snapshots");

    public static void Match(string name, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        var verified = Path.Combine(Folder, name + ".verified.cs");
        var received = Path.Combine(Folder, name + ".received.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(verified)!);
        if (Environment.GetEnvironmentVariable("SDAPI_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        var message = expected is null
            ? $"No baseline {verified}; wrote {received}. Review it, then rename it to .verified.cs (or run with SDAPI_ACCEPT_SNAPSHOTS=1)."
            : $"{name} differs from its baseline; wrote {received}.\n{Diff(expected, actual)}";
        Assert.Fail(message);
    }

    /// <summary>A small line diff: the first differing region with a few lines of context.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start]) start++;
        var endA = a.Length - 1;
        var endB = b.Length - 1;
        while (endA >= start && endB >= start && a[endA] == b[endB]) { endA--; endB--; }
        var sb = new StringBuilder();
        for (var i = Math.Max(0, start - 3); i < start; i++) sb.Append("  ").AppendLine(a[i]);
        for (var i = start; i <= endA && i < start + 40; i++) sb.Append("- ").AppendLine(a[i]);
        for (var i = start; i <= endB && i < start + 40; i++) sb.Append("+ ").AppendLine(b[i]);
        return $"@@ line {start + 1} @@\n{sb}";
    }
}
