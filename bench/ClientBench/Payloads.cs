namespace ClientBench;

/// <summary>What every client sends and receives: a documented v6 text2img request and success answer (spec/examples).</summary>
internal static class Payloads
{
    public static string Repo { get; } = FindRepo();

    public static byte[] SuccessResponse { get; } = File.ReadAllBytes(Path.Combine(Repo, "spec", "examples", "v6Text2Img.text2img-success.response.json"));

    public static string Spec => Path.Combine(Repo, "openapi.yaml");

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bindings.sln"))) return dir.FullName;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bindings.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository (Bindings.sln); run from inside it.");
    }
}
