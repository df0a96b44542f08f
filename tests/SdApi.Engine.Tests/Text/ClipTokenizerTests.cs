using System.Text.Json;
using SdApi.Engine.Text;

namespace SdApi.Engine.Tests.Text;

/// <summary>Known CLIP ids (openai/clip-vit-*, as published in several independent tokenizer test suites):
/// "a photo of a cat" -> 49406 320 1125 539 320 2368 49407 and "Hello, world!" -> 49406 3306 267 1002 256 49407.
/// The single-byte ids (a = 320, ',' = 267, '!' = 256) follow from CLIP's byte table, which the engine computes;
/// the whole-word ids are placed by hand in a partial vocabulary (the real 49408-entry files are not committed).</summary>
public sealed class ClipTokenizerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sdapi-aux-tok-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private ClipTokenizer PartialClip(string? padToken = null)
    {
        var vocab = new Dictionary<string, int>();
        for (var i = 0; i < 256; i++)
        {
            vocab[ClipByteEncoder.CharsInVocabOrder[i].ToString()] = i;
            vocab[ClipByteEncoder.CharsInVocabOrder[i] + "</w>"] = 256 + i;
        }
        var merges = new List<string> { "#version: 0.2" };
        var nextIntermediate = 40000;
        foreach (var (word, id) in new[] { ("photo", 1125), ("of", 539), ("cat", 2368), ("hello", 3306), ("world", 1002) })
        {
            var piece = word[0].ToString();
            for (var i = 1; i < word.Length; i++)
            {
                var right = i == word.Length - 1 ? word[i] + "</w>" : word[i].ToString();
                merges.Add($"{piece} {right}");
                piece += right;
                vocab.TryAdd(piece, i == word.Length - 1 ? id : nextIntermediate++);
            }
        }
        vocab["<|startoftext|>"] = 49406;
        vocab["<|endoftext|>"] = 49407;
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllLines(Path.Combine(_folder, "merges.txt"), merges);
        if (padToken is not null)
            File.WriteAllText(Path.Combine(_folder, "special_tokens_map.json"), $"{{\"pad_token\": {{\"content\": \"{padToken}\"}}}}");
        return ClipTokenizer.FromFolder(_folder);
    }

    [Fact]
    public void Known_clip_ids_for_a_photo_of_a_cat()
    {
        var tokenizer = PartialClip();

        tokenizer.EncodeForModel("a photo of a cat", 7).Should().Equal(49406, 320, 1125, 539, 320, 2368, 49407);
        tokenizer.EncodeForModel("Hello, world!", 6).Should().Equal(49406, 3306, 267, 1002, 256, 49407);
    }

    [Fact]
    public void Case_and_whitespace_do_not_matter()
    {
        var tokenizer = PartialClip();

        tokenizer.Encode("  A   PHOTO\tof a\n CaT ").Should().Equal(tokenizer.Encode("a photo of a cat"));
    }

    [Fact]
    public void Pads_with_eos_to_77_by_default()
    {
        var ids = PartialClip().EncodeForModel("a cat");

        ids.Should().HaveCount(77);
        ids.Take(4).Should().Equal(49406, 320, 2368, 49407);
        ids.Skip(4).Should().OnlyContain(id => id == 49407);
    }

    [Fact]
    public void Pad_token_comes_from_special_tokens_map()
    {
        // SD 2.x pads with "!" (id 0).
        var ids = PartialClip(padToken: "!").EncodeForModel("a cat", 8);

        ids.Should().Equal(49406, 320, 2368, 49407, 0, 0, 0, 0);
    }

    [Fact]
    public void Long_prompts_are_truncated_keeping_the_end_token()
    {
        var ids = PartialClip().EncodeForModel(string.Join(' ', Enumerable.Repeat("cat", 100)));

        ids.Should().HaveCount(77);
        ids[0].Should().Be(49406);
        ids[76].Should().Be(49407);
        ids.Skip(1).Take(75).Should().OnlyContain(id => id == 2368);
    }

    [Fact]
    public void Pattern_splits_contractions_digits_and_punctuation()
    {
        var tokenizer = PartialClip();

        // "don" + "'t" (contraction), one token per digit, a punctuation run as one piece.
        tokenizer.Tokenize("don't 42!?").Should().Equal("d", "o", "n</w>", "'", "t</w>", "4</w>", "2</w>", "!", "?</w>");
    }

    [Fact]
    public void Html_entities_are_unescaped()
    {
        ClipTokenizer.Clean("Cats &amp;amp; Dogs").Should().Be("cats & dogs");
    }
}
