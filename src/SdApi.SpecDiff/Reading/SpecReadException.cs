namespace SdApi.SpecDiff.Reading;

/// <summary>A spec file that cannot be read as an OpenAPI 3 document (missing, not YAML, broken $ref).
/// The message is one line that names the file.</summary>
public sealed class SpecReadException : Exception
{
    public SpecReadException(string message) : base(message) { }

    public SpecReadException(string message, Exception inner) : base(message, inner) { }

    public SpecReadException() { }
}
