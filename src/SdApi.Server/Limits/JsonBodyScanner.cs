using System.Text.Json;
using SdApi.Server.Errors;

namespace SdApi.Server.Limits;

/// <summary>What a scan decided: the whole body (valid JSON within every limit), or the refusal to send instead.</summary>
public readonly record struct ScannedBody(ReadOnlyMemory<byte> Json, ApiReply? Refusal);

/// <summary>Per-field limits of a request body (the reference server's own, from <c>SdApi:Limits</c>).</summary>
public sealed record BodyLimits(long MaxBodyBytes, int MaxStringLength, int MaxImageLength, int MaxMemberNameLength, int MaxMembers, int MaxDepth)
{
    /// <summary>A UTF-16 character takes at most 6 bytes of JSON (<c>\uXXXX</c>): a pending token longer than this
    /// cannot be within the character limit, so reading can stop before the token ends.</summary>
    public long MaxTokenBytes(int chars) => (chars * 6L) + 16;
}

/// <summary>Reads a request body incrementally with <see cref="Utf8JsonReader"/> and stops at the first thing the server
/// refuses: invalid JSON (NaN, depth), text that is not valid UTF-8 or has an unpaired surrogate escape, a number beyond
/// the range of a double, a member twice, a string or name over its limit, too many members, a body over the size limit.
/// Memory is bounded by the limit of the token being read, not by the body: a 10 MB prompt is refused after ~24 KB.</summary>
public static class JsonBodyScanner
{
    private const string Body = "body";

    public static async ValueTask<ScannedBody> ReadAsync(Stream body, BodyLimits limits, IReadOnlyCollection<string> imageFields, long? contentLength, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(limits);
        var scan = new Scan(limits, imageFields);
        // Start small whatever Content-Length announces: a body refused early never gets its announced size allocated.
        var buffer = new byte[(int)Math.Clamp(contentLength ?? 4096, 256, 16 * 1024)];
        var written = 0;
        var consumed = 0;
        var state = new JsonReaderState(new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = limits.MaxDepth });
        while (true)
        {
            if (written == buffer.Length)
            {
                // Doubling from 16 KB; once 1 MB has passed the scan (a large image field within its limit), the announced
                // length is believable enough to take in one step instead of copying through 2, 4, 8 and 16 MB buffers.
                var next = (long)buffer.Length * 2;
                if (written >= 1 << 20 && contentLength > next)
                    next = contentLength.Value + 1;
                Array.Resize(ref buffer, (int)Math.Min(next, limits.MaxBodyBytes + 1));
            }
            var read = await body.ReadAsync(buffer.AsMemory(written), ct).ConfigureAwait(false);
            written += read;
            if (written > limits.MaxBodyBytes)
                return Refuse(ApiError.Message(StatusCodes.Status413PayloadTooLarge, $"The request body is too large (at most {limits.MaxBodyBytes} bytes)."));
            var final = read == 0;
            if (final && consumed == 0 && IsBlank(buffer.AsSpan(0, written)))
                return Refuse(ApiError.Message(StatusCodes.Status400BadRequest, "The request body is empty: send a JSON object."));

            if (scan.Step(buffer.AsSpan(consumed, written - consumed), final, ref state, out var used) is { } refusal)
                return Refuse(refusal);
            consumed += used;
            if (final)
                return new ScannedBody(buffer.AsMemory(0, written), null);
            if (scan.PendingTooLong(written - consumed) is { } tooLong)
                return Refuse(tooLong);
        }
    }

    private static ScannedBody Refuse(ApiReply reply) => new(default, reply);

    private static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.TrimStart(" \t\r\n"u8).IsEmpty;

    /// <summary>The state of one body's scan between reads: the object frames (with their member names, for duplicates)
    /// and the top-level member being read, which names the field in a refusal.</summary>
    private sealed class Scan(BodyLimits limits, IReadOnlyCollection<string> imageFields)
    {
        private readonly Stack<HashSet<string>?> _frames = new();
        private string? _field;
        private bool _expectName = true;
        private int _members;
        private bool _rootSeen;

        public ApiReply? Step(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, out int used)
        {
            var reader = new Utf8JsonReader(data, final, state);
            try
            {
                while (reader.Read())
                {
                    if (Token(ref reader) is { } refusal)
                    {
                        used = 0;
                        return refusal;
                    }
                }
            }
            catch (JsonException e)
            {
                used = 0;
                var where = $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";
                var problem = reader.CurrentDepth >= limits.MaxDepth - 1
                    ? $"The request body is nested deeper than {limits.MaxDepth} levels ({where})."
                    : $"The request body is not valid JSON ({where}).";
                // After the root object has ended, or between members, there is no member to name.
                return Refusal(_expectName || (_rootSeen && _frames.Count == 0) ? null : _field, problem);
            }
            used = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            return null;
        }

        /// <summary>Stops a token that cannot end within its limit before it is read whole.</summary>
        public ApiReply? PendingTooLong(long pendingBytes)
        {
            var cap = _expectName ? limits.MaxMemberNameLength : CapOf(_field);
            return pendingBytes > limits.MaxTokenBytes(cap) ? TooLong(cap) : null;
        }

        private ApiReply? Token(ref Utf8JsonReader reader)
        {
            if (!_rootSeen)
            {
                _rootSeen = true;
                if (reader.TokenType != JsonTokenType.StartObject)
                    return ApiError.Message(StatusCodes.Status400BadRequest, "The request body must be a JSON object.");
            }
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    _frames.Push(new HashSet<string>(StringComparer.Ordinal));
                    _expectName = true;
                    return null;
                case JsonTokenType.StartArray:
                    _frames.Push(null);
                    _expectName = false;
                    return null;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    _frames.Pop();
                    AfterValue();
                    return null;
                case JsonTokenType.PropertyName:
                    return Name(ref reader);
                case JsonTokenType.String:
                    return Text(ref reader);
                case JsonTokenType.Number:
                    if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                        return Refusal($"The {Words(_field)} is beyond the range of a number.");
                    AfterValue();
                    return null;
                default:
                    AfterValue();
                    return null;
            }
        }

        private ApiReply? Name(ref Utf8JsonReader reader)
        {
            string name;
            try { name = reader.GetString()!; }
            catch (InvalidOperationException) { return Refusal(_frames.Count == 1 ? null : _field, "A member name is not valid UTF-8 text or has an unpaired surrogate."); }
            if (name.Length > limits.MaxMemberNameLength)
                return Refusal(_frames.Count == 1 ? null : _field, $"A member name is longer than {limits.MaxMemberNameLength} characters.");
            if (++_members > limits.MaxMembers)
                return Refusal(null, $"The request body has more than {limits.MaxMembers} members.");
            if (_frames.Count == 1) _field = name;
            if (_frames.Peek() is { } names && !names.Add(name))
                return Refusal($"The {Words(_frames.Count == 1 ? name : _field)} field appears more than once{(_frames.Count == 1 ? "" : $" ({name})")}.");
            _expectName = false;
            return null;
        }

        private ApiReply? Text(ref Utf8JsonReader reader)
        {
            string text;
            try { text = reader.GetString()!; }
            catch (InvalidOperationException) { return Refusal($"The {Words(_field)} is not valid UTF-8 text or has an unpaired surrogate."); }
            if (text.Length > CapOf(_field))
                return TooLong(CapOf(_field));
            AfterValue();
            return null;
        }

        private void AfterValue()
        {
            // Inside an object the next token is a name; inside an array, another value.
            _expectName = _frames.Count > 0 && _frames.Peek() is not null;
        }

        private int CapOf(string? field) => field is not null && imageFields.Contains(field) ? limits.MaxImageLength : limits.MaxStringLength;

        private ApiReply TooLong(int cap)
        {
            if (_expectName)
                return Refusal(_frames.Count <= 1 ? null : _field, $"A member name is longer than {limits.MaxMemberNameLength} characters.");
            var status = cap == limits.MaxImageLength && cap != limits.MaxStringLength ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return Refusal(_field, $"The {Words(_field)} may not be greater than {cap} characters.", status);
        }

        private ApiReply Refusal(string message) => Refusal(_field, message);

        private static ApiReply Refusal(string? field, string message, int status = StatusCodes.Status400BadRequest) =>
            field is null ? ApiError.Message(status, message) : ApiError.Field(Shorten(field), message, status);

        // A refusal names the member, but never echoes more of an over-long name than a reader needs.
        private static string Shorten(string field) => field.Length <= 64 ? field : field[..64] + "...";

        private static string Words(string? field) => field is null ? Body : Shorten(field).Replace('_', ' ');
    }
}
