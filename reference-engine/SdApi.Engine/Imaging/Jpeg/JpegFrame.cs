namespace SdApi.Engine.Imaging;

/// <summary>One colour component of a frame and its dequantised-later coefficient blocks (natural order, 64 per block).</summary>
internal sealed class JpegComponent(int id, int h, int v, int quantTable)
{
    public int Id { get; } = id;
    public int H { get; } = h;
    public int V { get; } = v;
    public int QuantTable { get; } = quantTable;

    /// <summary>Blocks this component really covers (used by non-interleaved scans).</summary>
    public int BlocksPerLine { get; set; }
    public int BlocksPerColumn { get; set; }

    /// <summary>Blocks allocated, padded to whole MCUs (used by interleaved scans).</summary>
    public int BlocksPerLineForMcu { get; set; }
    public int BlocksPerColumnForMcu { get; set; }

    public short[] Coefficients { get; set; } = [];
    public int DcPredictor { get; set; }
    public JpegHuffmanTable? DcTable { get; set; }
    public JpegHuffmanTable? AcTable { get; set; }

    public int BlockOffset(int row, int col) => (row * BlocksPerLineForMcu + col) * 64;
}

/// <summary>SOFn data: size, sampling factors, and whether scans are progressive.</summary>
internal sealed class JpegFrame(int width, int height, bool progressive, List<JpegComponent> components)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public bool Progressive { get; } = progressive;
    public List<JpegComponent> Components { get; } = components;
    public int MaxH { get; private set; }
    public int MaxV { get; private set; }
    public int McusPerLine { get; private set; }
    public int McusPerColumn { get; private set; }

    /// <summary>Works out block counts and allocates coefficient storage.</summary>
    public void Prepare()
    {
        MaxH = Components.Max(c => c.H);
        MaxV = Components.Max(c => c.V);
        McusPerLine = (Width + 8 * MaxH - 1) / (8 * MaxH);
        McusPerColumn = (Height + 8 * MaxV - 1) / (8 * MaxV);
        foreach (var c in Components)
        {
            var compWidth = (Width * c.H + MaxH - 1) / MaxH;
            var compHeight = (Height * c.V + MaxV - 1) / MaxV;
            c.BlocksPerLine = (compWidth + 7) / 8;
            c.BlocksPerColumn = (compHeight + 7) / 8;
            c.BlocksPerLineForMcu = McusPerLine * c.H;
            c.BlocksPerColumnForMcu = McusPerColumn * c.V;
            c.Coefficients = new short[c.BlocksPerLineForMcu * c.BlocksPerColumnForMcu * 64];
        }
    }
}
