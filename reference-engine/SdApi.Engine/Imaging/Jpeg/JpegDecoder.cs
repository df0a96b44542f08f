namespace SdApi.Engine.Imaging;

/// <summary>Decodes baseline and progressive Huffman JPEG (JFIF/Exif), greyscale or YCbCr, any sampling factors,
/// restart markers. Arithmetic coding, lossless and 12-bit JPEG get an <see cref="ImageDecodeException"/>.</summary>
public static class JpegDecoder
{
    public static RgbImage Decode(ReadOnlyMemory<byte> jpeg) =>
        throw new ImageDecodeException("JPEG decoding is not implemented yet.");
}
