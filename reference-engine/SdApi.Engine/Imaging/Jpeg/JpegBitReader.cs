namespace SdApi.Engine.Imaging;

/// <summary>Reads entropy-coded bits, removing 0xFF00 byte stuffing. At a marker it stops and returns zero bits
/// (as decoders do for slightly short scans), but a scan that runs out by more than <see cref="MaxOverrun"/> bytes
/// is an error: a valid scan never needs bits past its data, and a damaged header could otherwise make us decode
/// millions of blocks from nothing. <see cref="Restart"/> consumes an RSTn marker.</summary>
internal sealed class JpegBitReader(ReadOnlyMemory<byte> data, int position)
{
    private readonly ReadOnlyMemory<byte> _data = data;
    private int _bitBuffer;
    private int _bitCount;
    private int _overrun;

    private const int MaxOverrun = 2048;

    public int Position { get; private set; } = position;

    public int ReadBit()
    {
        if (_bitCount == 0)
        {
            _bitBuffer = NextByte();
            _bitCount = 8;
        }
        _bitCount--;
        return (_bitBuffer >> _bitCount) & 1;
    }

    public int ReadBits(int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
            value = (value << 1) | ReadBit();
        return value;
    }

    /// <summary>Reads <paramref name="size"/> bits and sign-extends them as JPEG's EXTEND procedure does.</summary>
    public int Receive(int size)
    {
        if (size == 0)
            return 0;
        if (size > 16)
            throw new ImageDecodeException("Corrupt JPEG: coefficient size above 16 bits.");
        var value = ReadBits(size);
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    /// <summary>Drops buffered bits, skips to the next marker and consumes it when it is RSTn.</summary>
    public void Restart()
    {
        _bitCount = 0;
        var span = _data.Span;
        while (Position + 1 < span.Length && !(span[Position] == 0xFF && span[Position + 1] is >= 0xD0 and <= 0xD7))
        {
            if (span[Position] == 0xFF && span[Position + 1] is not (0x00 or 0xFF))
                return; // some other marker: leave it for the segment parser
            Position++;
        }
        if (Position + 1 < span.Length)
            Position += 2;
    }

    /// <summary>Moves past any remaining entropy-coded bytes to the next marker (after a scan).</summary>
    public int SkipToMarker()
    {
        var span = _data.Span;
        while (Position + 1 < span.Length && !(span[Position] == 0xFF && span[Position + 1] is not (0x00 or 0xFF) and not (>= 0xD0 and <= 0xD7)))
            Position++;
        return Position;
    }

    private int NextByte()
    {
        var span = _data.Span;
        if (Position >= span.Length)
            return Overrun();
        var b = span[Position];
        if (b != 0xFF)
        {
            Position++;
            return b;
        }
        var next = Position + 1 < span.Length ? span[Position + 1] : 0xD9;
        if (next == 0x00)
        {
            Position += 2;
            return 0xFF;
        }
        return Overrun(); // a marker: do not consume, feed zeros
    }

    private int Overrun()
    {
        if (++_overrun > MaxOverrun)
            throw new ImageDecodeException("Truncated or corrupt JPEG: the image data ends before the image is complete.");
        return 0;
    }
}
