namespace SdApi.Engine.Imaging;

/// <summary>A canonical Huffman table from a DHT segment: 16 code-length counts and the symbols in code order.</summary>
internal sealed class JpegHuffmanTable
{
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];
    private readonly byte[] _values;

    public JpegHuffmanTable(ReadOnlySpan<byte> counts, byte[] values)
    {
        _values = values;
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            _valueOffset[length] = k - code;
            code += counts[length - 1];
            k += counts[length - 1];
            _maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
            if (code > 1 << length)
                throw new ImageDecodeException("Corrupt JPEG: over-subscribed Huffman table.");
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue;
    }

    public byte Decode(JpegBitReader bits)
    {
        var code = 0;
        for (var length = 1; length <= 16; length++)
        {
            code = (code << 1) | bits.ReadBit();
            if (code <= _maxCode[length])
                return _values[code + _valueOffset[length]];
        }
        throw new ImageDecodeException("Corrupt JPEG: invalid Huffman code.");
    }
}
