using SdApi.Engine.Text;

namespace SdApi.Engine.Tests.Text;

public sealed class BuiltInClipVocabularyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sdapi-aux-vocab-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Every_listed_word_is_one_token()
    {
        var tokenizer = BuiltInClipVocabulary.CreateTokenizer();

        BuiltInClipVocabulary.Words.Should().OnlyContain(w => tokenizer.Encode(w).Count == 1);
        BuiltInClipVocabulary.Words.Select(w => tokenizer.Encode(w)[0]).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Layout_matches_clip_byte_tokens_then_specials_last()
    {
        var (vocab, _) = BuiltInClipVocabulary.Build();
        var tokenizer = BuiltInClipVocabulary.CreateTokenizer();

        vocab["!"].Should().Be(0);
        vocab["a</w>"].Should().Be(320); // same as CLIP
        tokenizer.BosId.Should().Be(vocab.Count - 2);
        tokenizer.EosId.Should().Be(vocab.Count - 1);
    }

    [Fact]
    public void Any_text_tokenizes_through_byte_fallback()
    {
        var tokenizer = BuiltInClipVocabulary.CreateTokenizer();

        var ids = tokenizer.Encode("zyzzyva Ω 猫 🙂 #42");

        ids.Should().NotBeEmpty();
        ids.Should().OnlyContain(id => id >= 0 && id < tokenizer.BosId);
        tokenizer.Tokenize("猫").Should().HaveCount(3); // three UTF-8 bytes, no merges
    }

    [Fact]
    public void Prompt_encodes_to_word_tokens()
    {
        var tokenizer = BuiltInClipVocabulary.CreateTokenizer();

        tokenizer.Tokenize("A red circle on a blue background, high quality, detailed")
            .Should().Equal("a</w>", "red</w>", "circle</w>", "on</w>", "a</w>", "blue</w>", "background</w>", ",</w>",
                "high</w>", "quality</w>", ",</w>", "detailed</w>");
    }

    [Fact]
    public void Written_folder_reads_back_and_is_deterministic()
    {
        BuiltInClipVocabulary.WriteTo(_folder);
        var first = Directory.GetFiles(_folder).Order().Select(File.ReadAllBytes).ToList();
        BuiltInClipVocabulary.WriteTo(_folder);
        var second = Directory.GetFiles(_folder).Order().Select(File.ReadAllBytes).ToList();

        second.Should().BeEquivalentTo(first, o => o.WithStrictOrdering());
        File.ReadLines(Path.Combine(_folder, "merges.txt")).First().Should().Be("#version: 0.2");
        var fromFolder = ClipTokenizer.FromFolder(_folder);
        var builtIn = BuiltInClipVocabulary.CreateTokenizer();
        fromFolder.EncodeForModel("a green triangle under the moon").Should().Equal(builtIn.EncodeForModel("a green triangle under the moon"));
        fromFolder.PadId.Should().Be(builtIn.EosId);
    }
}
