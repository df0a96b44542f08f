namespace SdApi.Yaml;

/// <summary>A YAML text that cannot be read as a JSON tree: not YAML, a duplicate key, a key that is not a scalar, an
/// anchor or tag JSON cannot hold. The message is one line naming the source, line and column.</summary>
public sealed class YamlReadException : Exception
{
    public YamlReadException(string message, long line, long column, Exception? inner = null) : base(message, inner)
    {
        Line = line;
        Column = column;
    }

    public YamlReadException() { }

    public YamlReadException(string message) : base(message) { }

    public YamlReadException(string message, Exception inner) : base(message, inner) { }

    /// <summary>1-based line of the problem (0 when unknown).</summary>
    public long Line { get; }

    public long Column { get; }
}
