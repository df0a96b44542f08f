using SdApi.Tests.Shared;

namespace SdApi.Cli.Tests.Diff;

/// <summary>Writes every case's old.yaml/new.yaml into DiffCases/&lt;case&gt;/ from the current openapi.yaml (once per
/// test run), so the pairs always follow the spec. The yaml files are build outputs (git-ignored); expected.json is
/// committed. Run `sdapi diff DiffCases/&lt;case&gt;/old.yaml DiffCases/&lt;case&gt;/new.yaml` after a test run to look at one.</summary>
internal static class DiffCaseFiles
{
    private static readonly Lazy<IReadOnlyDictionary<string, DiffCasePair>> Pairs = new(WriteAll);

    public static string CasesDirectory => RepoPaths.Combine("tests", "SdApi.Cli.Tests", "DiffCases");

    public static IReadOnlyCollection<DiffCasePair> All => [.. Pairs.Value.Values];

    public static DiffCasePair Get(string name) => Pairs.Value[name];

    private static Dictionary<string, DiffCasePair> WriteAll()
    {
        var spec = File.ReadAllText(RepoPaths.Spec);
        var pairs = new Dictionary<string, DiffCasePair>(StringComparer.Ordinal);
        foreach (var diffCase in DiffCaseCatalog.All)
        {
            var directory = Path.Combine(CasesDirectory, diffCase.Name);
            Directory.CreateDirectory(directory);
            var pair = new DiffCasePair(diffCase, Path.Combine(directory, "old.yaml"), Path.Combine(directory, "new.yaml"), Path.Combine(directory, "expected.json"));
            WriteIfChanged(pair.OldPath, Side(spec, diffCase.EditOld));
            WriteIfChanged(pair.NewPath, Side(spec, diffCase.EditNew));
            pairs[diffCase.Name] = pair;
        }
        return pairs;
    }

    private static string Side(string spec, Action<SpecEditor>? edit)
    {
        var editor = SpecEditor.Parse(spec);
        editor.ListNullInNullableEnums();
        editor.RemoveExamples();
        edit?.Invoke(editor);
        return editor.Save();
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != text)
            File.WriteAllText(path, text);
    }
}

internal sealed record DiffCasePair(DiffCase Case, string OldPath, string NewPath, string ExpectedPath);
