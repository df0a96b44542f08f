namespace SdApi.Contract.Spec;

/// <summary>openapi.yaml and spec/edge-values.json as embedded at build time (see the .csproj).</summary>
internal static class EmbeddedSpecFiles
{
    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedSpecFiles).Assembly.GetManifestResourceStream("sdapi/" + name)
            ?? throw new FileNotFoundException($"The build embedded no '{name}' (it did not exist when SdApi.Contract was built).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
