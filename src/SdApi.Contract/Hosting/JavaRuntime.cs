namespace SdApi.Contract.Hosting;

/// <summary>Finds the java executable (JAVA_HOME, then PATH) or says how to install it.</summary>
public static class JavaRuntime
{
    public const string InstallHint =
        "Java 17+ is required to run WireMock for the contract tests. Install it with " +
        "`sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu; `.ci/run` does this itself), " +
        "`brew install openjdk@17` (macOS) or from https://adoptium.net, then make `java` available on PATH or set JAVA_HOME.";

    public static string Find() => Find(Environment.GetEnvironmentVariable("JAVA_HOME"), Environment.GetEnvironmentVariable("PATH"));

    /// <summary>Looks in <paramref name="javaHome"/>/bin, then each folder of <paramref name="path"/>.</summary>
    public static string Find(string? javaHome, string? path)
    {
        var home = javaHome;
        if (!string.IsNullOrEmpty(home))
        {
            var candidate = Path.Combine(home, "bin", OperatingSystem.IsWindows() ? "java.exe" : "java");
            if (File.Exists(candidate)) return candidate;
        }
        var name = OperatingSystem.IsWindows() ? "java.exe" : "java";
        foreach (var dir in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new JavaNotFoundException(InstallHint);
    }
}

/// <summary>No Java runtime was found; the message says how to install one.</summary>
public sealed class JavaNotFoundException(string message) : Exception(message);
