// Written here because the local package registry has no image codec library (ImageSharp, SkiaSharp are unavailable).
using System.Buffers.Binary;

namespace SdApi.Engine.Imaging;

/// <summary>Decodes baseline (SOF0), extended sequential (SOF1) and progressive (SOF2) Huffman JPEG with 8-bit
/// samples, greyscale or 3-component YCbCr/RGB, any sampling factors, restart markers. Chroma is upsampled by
/// replication. Lossless, hierarchical, arithmetic-coded, 12-bit and CMYK JPEG get an <see cref="ImageDecodeException"/>.</summary>
public static class JpegDecoder
{
    /// <summary>Decodes the image; by default it is turned upright per its EXIF orientation (see <see cref="ImageOrientation"/>).</summary>
    public static RgbImage Decode(ReadOnlyMemory<byte> jpeg, bool applyExifOrientation = true)
    {
        var data = jpeg.Span;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
            throw new ImageDecodeException("Not a JPEG file (missing SOI marker).");
        var quant = new ushort[4][];
        var dcTables = new JpegHuffmanTable?[4];
        var acTables = new JpegHuffmanTable?[4];
        JpegFrame? frame = null;
        var restartInterval = 0;
        int? adobeTransform = null;
        var orientation = 1;
        var pos = 2;
        while (true)
        {
            // Find the next marker (skipping fill bytes).
            while (pos < data.Length && data[pos] != 0xFF)
                pos++;
            while (pos < data.Length && data[pos] == 0xFF)
                pos++;
            if (pos >= data.Length)
                break; // tolerate a missing EOI when a frame was decoded
            var marker = data[pos++];
            if (marker == 0xD9)
                break; // EOI
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
                continue; // stray RSTn / TEM carry no length
            if (pos + 2 > data.Length)
                throw new ImageDecodeException("Truncated JPEG: a segment header is cut off.");
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2 || pos + length > data.Length)
                throw new ImageDecodeException("Truncated JPEG: a segment runs past the end of the data.");
            var segment = data.Slice(pos + 2, length - 2);
            var next = pos + length;
            switch (marker)
            {
                case 0xDB: ReadQuantTables(segment, quant); break;
                case 0xC4: ReadHuffmanTables(segment, dcTables, acTables); break;
                case 0xDD when segment.Length >= 2: restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment); break;
                case 0xE1 when orientation == 1: orientation = JpegExif.ReadOrientation(segment); break;
                case 0xEE when segment.Length >= 12 && segment.StartsWith("Adobe"u8): adobeTransform = segment[11]; break;
                case 0xC0 or 0xC1 or 0xC2:
                    if (frame is not null)
                        throw new ImageDecodeException("Unsupported JPEG: more than one frame.");
                    frame = ReadFrame(segment, progressive: marker == 0xC2);
                    break;
                case 0xC3 or 0xC5 or 0xC6 or 0xC7:
                    throw new ImageDecodeException($"Unsupported JPEG: {(marker == 0xC3 ? "lossless" : "hierarchical")} coding (SOF{marker - 0xC0}); only baseline and progressive are supported.");
                case >= 0xC9 and <= 0xCF and not 0xCC:
                    throw new ImageDecodeException($"Unsupported JPEG: arithmetic coding (SOF{marker - 0xC0}); only Huffman baseline and progressive are supported.");
                case 0xDA:
                    if (frame is null)
                        throw new ImageDecodeException("Corrupt JPEG: scan before frame header.");
                    next = DecodeScan(jpeg, pos + length, segment, frame, dcTables, acTables, restartInterval);
                    break;
            }
            pos = next;
        }
        if (frame is null)
            throw new ImageDecodeException("Corrupt JPEG: no frame header (SOF) found.");
        var image = JpegColor.ToImage(frame, quant, adobeTransform);
        return applyExifOrientation ? ImageOrientation.Apply(image, orientation) : image;
    }

    private static void ReadQuantTables(ReadOnlySpan<byte> s, ushort[][] quant)
    {
        var p = 0;
        while (p < s.Length)
        {
            int precision = s[p] >> 4, id = s[p] & 15;
            p++;
            if (id > 3)
                throw new ImageDecodeException("Corrupt JPEG: quantisation table id above 3.");
            var table = new ushort[64];
            for (var k = 0; k < 64; k++)
            {
                if (p + (precision == 0 ? 1 : 2) > s.Length)
                    throw new ImageDecodeException("Truncated JPEG: quantisation table cut off.");
                table[JpegScanDecoder.ZigZag[k]] = precision == 0 ? s[p] : BinaryPrimitives.ReadUInt16BigEndian(s[p..]);
                p += precision == 0 ? 1 : 2;
            }
            quant[id] = table;
        }
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> s, JpegHuffmanTable?[] dc, JpegHuffmanTable?[] ac)
    {
        var p = 0;
        while (p + 17 <= s.Length)
        {
            int tableClass = s[p] >> 4, id = s[p] & 15;
            var counts = s.Slice(p + 1, 16);
            var total = 0;
            foreach (var c in counts)
                total += c;
            if (id > 3 || tableClass > 1 || p + 17 + total > s.Length)
                throw new ImageDecodeException("Corrupt JPEG: bad Huffman table definition.");
            var table = new JpegHuffmanTable(counts, s.Slice(p + 17, total).ToArray());
            (tableClass == 0 ? dc : ac)[id] = table;
            p += 17 + total;
        }
    }

    private static JpegFrame ReadFrame(ReadOnlySpan<byte> s, bool progressive)
    {
        if (s.Length < 6)
            throw new ImageDecodeException("Corrupt JPEG: frame header too short.");
        if (s[0] != 8)
            throw new ImageDecodeException($"Unsupported JPEG: {s[0]}-bit samples (only 8-bit).");
        int height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        int count = s[5];
        if (height == 0)
            throw new ImageDecodeException("Unsupported JPEG: height defined by a DNL marker.");
        PngDecoder.CheckedPixels(width, height);
        if (count is not (1 or 3))
            throw new ImageDecodeException($"Unsupported JPEG: {count} colour components (only greyscale and YCbCr/RGB; CMYK is not supported).");
        if (s.Length < 6 + 3 * count)
            throw new ImageDecodeException("Corrupt JPEG: frame header too short.");
        var components = new List<JpegComponent>();
        for (var i = 0; i < count; i++)
        {
            var c = s.Slice(6 + 3 * i, 3);
            int h = c[1] >> 4, v = c[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4 || c[2] > 3)
                throw new ImageDecodeException("Corrupt JPEG: bad sampling factors or quantisation table id.");
            components.Add(new JpegComponent(c[0], h, v, c[2]));
        }
        var frame = new JpegFrame(width, height, progressive, components);
        frame.Prepare();
        return frame;
    }

    private static int DecodeScan(ReadOnlyMemory<byte> jpeg, int dataStart, ReadOnlySpan<byte> s, JpegFrame frame,
        JpegHuffmanTable?[] dc, JpegHuffmanTable?[] ac, int restartInterval)
    {
        int count = s.IsEmpty ? 0 : s[0];
        if (count is < 1 or > 4 || s.Length < 1 + 2 * count + 3)
            throw new ImageDecodeException("Corrupt JPEG: bad scan header.");
        var components = new List<JpegComponent>();
        for (var i = 0; i < count; i++)
        {
            int id = s[1 + 2 * i], tables = s[2 + 2 * i];
            var c = frame.Components.Find(x => x.Id == id)
                ?? throw new ImageDecodeException($"Corrupt JPEG: scan names unknown component {id}.");
            if (tables >> 4 > 3 || (tables & 15) > 3)
                throw new ImageDecodeException("Corrupt JPEG: scan names a Huffman table id above 3.");
            c.DcTable = dc[tables >> 4];
            c.AcTable = ac[tables & 15];
            components.Add(c);
        }
        var p = 1 + 2 * count;
        int ss = s[p], se = s[p + 1], ah = s[p + 2] >> 4, al = s[p + 2] & 15;
        if (ss > 63 || se > 63 || ss > se || al > 13)
            throw new ImageDecodeException("Corrupt JPEG: bad spectral selection in scan header.");
        var bits = new JpegBitReader(jpeg, dataStart);
        var scan = new JpegScanDecoder(frame, components, bits, ss, frame.Progressive ? se : 63, ah, al);
        return scan.Decode(restartInterval);
    }
}
