using System.Reflection;

namespace SdApi.Tests.Shared;

/// <summary>Paths inside the repository, found through the assembly metadata the test build stamps in
/// (so tests work with any output or artifacts path).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Spec => Path.Combine(Root, "openapi.yaml");
    public static string SpecDir => Path.Combine(Root, "spec");
    public static string NodeModules => Path.Combine(Root, "node_modules");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var stamped = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SdApiRepoRoot")?.Value;
        if (stamped is not null && File.Exists(Path.Combine(stamped, "Bindings.sln")))
            return Path.GetFullPath(stamped);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bindings.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (Bindings.sln).");
    }
}
