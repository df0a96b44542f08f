using SdApi.Engine.Pipeline;
using SdApi.Engine.Text;

namespace SdApi.Engine.Tests.Pipeline;

/// <summary>One engine (and one temporary model store) shared by the pipeline tests; removed afterwards.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        StoreDirectory = Path.Combine(Path.GetTempPath(), $"sdapi-engine-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Engine = new DiffusionEngine(new EngineOptions { ModelStoreDirectory = StoreDirectory, IntraOpThreads = 1 });
        Engine.Store.EnsureBuiltIn();
        Tokenizer = ClipTokenizer.FromFolder(Path.Combine(Engine.Store.ModelFolder(DiffusionEngine.BuiltInModelId), "tokenizer"));
    }

    public string StoreDirectory { get; }
    public DiffusionEngine Engine { get; }
    public ClipTokenizer Tokenizer { get; }

    /// <summary>A small, fast text2img request on the built-in model.</summary>
    public static GenerationRequest Small(string prompt = "red circle", long? seed = 42) => new()
    {
        Prompt = prompt,
        Width = 64,
        Height = 64,
        Steps = 8,
        Seed = seed,
        Scheduler = "DDIMScheduler",
    };

    public void Dispose()
    {
        Engine.Dispose();
        try { Directory.Delete(StoreDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}
