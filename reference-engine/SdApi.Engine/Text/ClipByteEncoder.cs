namespace SdApi.Engine.Text;

/// <summary>CLIP's (and GPT-2's) reversible byte -> printable character table: printable Latin-1 bytes map to
/// themselves, the other 68 bytes to U+0100 onwards. BPE runs on these characters, so any UTF-8 text has tokens.</summary>
public static class ClipByteEncoder
{
    /// <summary>Characters in CLIP's vocabulary order (the first 256 vocabulary entries).</summary>
    public static IReadOnlyList<char> CharsInVocabOrder { get; }

    private static readonly char[] ByteToChar = new char[256];

    static ClipByteEncoder()
    {
        var bytes = new List<int>();
        for (var b = '!'; b <= '~'; b++) bytes.Add(b);
        for (var b = '\u00A1'; b <= '\u00AC'; b++) bytes.Add(b);
        for (var b = '\u00AE'; b <= '\u00FF'; b++) bytes.Add(b);
        var chars = bytes.Select(b => (char)b).ToList();
        var extra = 0;
        for (var b = 0; b < 256; b++)
        {
            if (bytes.Contains(b))
                continue;
            bytes.Add(b);
            chars.Add((char)(256 + extra++));
        }
        for (var i = 0; i < 256; i++)
            ByteToChar[bytes[i]] = chars[i];
        CharsInVocabOrder = chars;
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/> as byte-characters.</summary>
    public static string Encode(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
            chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }
}
