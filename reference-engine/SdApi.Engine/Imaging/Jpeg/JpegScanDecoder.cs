namespace SdApi.Engine.Imaging;

/// <summary>Decodes one SOS scan's entropy-coded data into the components' coefficient blocks: baseline
/// (sequential) blocks, and the four progressive kinds (DC first/refine, AC first/refine) per ITU T.81 G.1.2.</summary>
internal sealed class JpegScanDecoder
{
    /// <summary>Zig-zag index -> natural (row-major) index.</summary>
    public static ReadOnlySpan<byte> ZigZag =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63,
    ];

    private readonly JpegFrame _frame;
    private readonly List<JpegComponent> _components;
    private readonly JpegBitReader _bits;
    private readonly int _ss, _se, _ah, _al;
    private int _eobRun;

    public JpegScanDecoder(JpegFrame frame, List<JpegComponent> components, JpegBitReader bits, int ss, int se, int ah, int al)
    {
        (_frame, _components, _bits, _ss, _se, _ah, _al) = (frame, components, bits, ss, se, ah, al);
    }

    /// <summary>Decodes the scan; returns the position of the marker that follows it.</summary>
    public int Decode(int restartInterval)
    {
        foreach (var c in _components)
            c.DcPredictor = 0;
        var single = _components.Count == 1;
        var c0 = _components[0];
        var total = single ? c0.BlocksPerLine * c0.BlocksPerColumn : _frame.McusPerLine * _frame.McusPerColumn;
        for (var mcu = 0; mcu < total; mcu++)
        {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0)
            {
                _bits.Restart();
                _eobRun = 0;
                foreach (var c in _components)
                    c.DcPredictor = 0;
            }
            if (single)
            {
                DecodeBlock(c0, c0.BlockOffset(mcu / c0.BlocksPerLine, mcu % c0.BlocksPerLine));
                continue;
            }
            int mcuRow = mcu / _frame.McusPerLine, mcuCol = mcu % _frame.McusPerLine;
            foreach (var c in _components)
                for (var v = 0; v < c.V; v++)
                    for (var h = 0; h < c.H; h++)
                        DecodeBlock(c, c.BlockOffset(mcuRow * c.V + v, mcuCol * c.H + h));
        }
        return _bits.SkipToMarker();
    }

    private void DecodeBlock(JpegComponent c, int offset)
    {
        var block = c.Coefficients.AsSpan(offset, 64);
        if (!_frame.Progressive)
            Baseline(c, block);
        else if (_ss == 0)
        {
            if (_ah == 0)
                DcFirst(c, block);
            else if (_bits.ReadBit() != 0)
                block[0] |= (short)(1 << _al);
        }
        else if (_ah == 0)
            AcFirst(c, block);
        else
            AcRefine(c, block);
    }

    private static JpegHuffmanTable Table(JpegHuffmanTable? table) =>
        table ?? throw new ImageDecodeException("Corrupt JPEG: a scan uses a Huffman table that was never defined.");

    private void Baseline(JpegComponent c, Span<short> block)
    {
        DcFirst(c, block);
        var ac = Table(c.AcTable);
        for (var k = 1; k < 64;)
        {
            var rs = ac.Decode(_bits);
            int r = rs >> 4, s = rs & 15;
            if (s == 0)
            {
                if (r < 15)
                    break; // end of block
                k += 16;
                continue;
            }
            k += r;
            if (k > 63)
                throw new ImageDecodeException("Corrupt JPEG: coefficient index past the end of a block.");
            block[ZigZag[k]] = (short)_bits.Receive(s);
            k++;
        }
    }

    private void DcFirst(JpegComponent c, Span<short> block)
    {
        var s = Table(c.DcTable).Decode(_bits);
        c.DcPredictor += _bits.Receive(s);
        block[0] = (short)(c.DcPredictor << _al);
    }

    private void AcFirst(JpegComponent c, Span<short> block)
    {
        if (_eobRun > 0)
        {
            _eobRun--;
            return;
        }
        var ac = Table(c.AcTable);
        for (var k = _ss; k <= _se;)
        {
            var rs = ac.Decode(_bits);
            int r = rs >> 4, s = rs & 15;
            if (s == 0)
            {
                if (r < 15)
                {
                    _eobRun = (1 << r) - 1 + (r > 0 ? _bits.ReadBits(r) : 0);
                    break;
                }
                k += 16;
                continue;
            }
            k += r;
            if (k > 63)
                throw new ImageDecodeException("Corrupt JPEG: coefficient index past the end of a block.");
            block[ZigZag[k]] = (short)(_bits.Receive(s) * (1 << _al));
            k++;
        }
    }

    /// <summary>Successive approximation of AC coefficients, following libjpeg's decode_mcu_AC_refine.</summary>
    private void AcRefine(JpegComponent c, Span<short> block)
    {
        int p1 = 1 << _al, m1 = -1 << _al;
        var k = _ss;
        if (_eobRun == 0)
        {
            var ac = Table(c.AcTable);
            for (; k <= _se; k++)
            {
                var rs = ac.Decode(_bits);
                int r = rs >> 4, s = rs & 15;
                if (s != 0)
                    s = _bits.ReadBit() != 0 ? p1 : m1;
                else if (r != 15)
                {
                    _eobRun = (1 << r) + (r > 0 ? _bits.ReadBits(r) : 0);
                    break;
                }
                do
                {
                    var z = ZigZag[k];
                    if (block[z] != 0)
                        Refine(block, z, p1, m1);
                    else if (--r < 0)
                        break;
                    k++;
                }
                while (k <= _se);
                if (s != 0 && k <= 63)
                    block[ZigZag[k]] = (short)s;
            }
        }
        if (_eobRun > 0)
        {
            for (; k <= _se; k++)
            {
                var z = ZigZag[k];
                if (block[z] != 0)
                    Refine(block, z, p1, m1);
            }
            _eobRun--;
        }
    }

    private void Refine(Span<short> block, int z, int p1, int m1)
    {
        if (_bits.ReadBit() != 0 && (block[z] & p1) == 0)
            block[z] += (short)(block[z] >= 0 ? p1 : m1);
    }
}
