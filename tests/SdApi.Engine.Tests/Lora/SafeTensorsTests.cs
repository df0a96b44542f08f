using System.Buffers.Binary;
using System.Text;
using SdApi.Engine.Lora;

namespace SdApi.Engine.Tests.Lora;

public class SafeTensorsTests
{
    [Fact]
    public void Round_trip_keeps_names_shapes_values_and_metadata()
    {
        float[] a = [1.5f, -2f, 3.25f, 0f, 1e-3f, -7f];
        float[] b = [0.5f, -0.25f];
        var bytes = SafeTensorsWriter.Write(
            [new("a", [2, 3], a), new("b.half", [2], b, "F16"), new("c.bf16", [1, 2], b, "BF16")],
            new Dictionary<string, string> { ["format"] = "pt" });

        var file = SafeTensorsFile.Read(bytes);

        file.Metadata.Should().Equal(new Dictionary<string, string> { ["format"] = "pt" });
        file.Tensors.Select(t => t.Name).Should().Equal("a", "b.half", "c.bf16");
        file["a"].Shape.Should().Equal(2L, 3L);
        file["a"].ToFloat32().Should().Equal(a);
        file["b.half"].DType.Should().Be("F16");
        file["b.half"].ToFloat32().Should().Equal(b); // exactly representable in half and bfloat16
        file["c.bf16"].ToFloat32().Should().Equal(b);
    }

    [Fact]
    public void Layout_follows_the_format()
    {
        var bytes = SafeTensorsWriter.Write([new("x", [1], [1f])]);

        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        (headerLength % 8).Should().Be(0);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd();
        header.Should().Be("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        BitConverter.ToSingle(bytes, 8 + headerLength).Should().Be(1f);
    }

    [Fact]
    public void Reads_a_hand_written_file_with_f16_and_bf16()
    {
        // Header written by hand; data: F16 1.0 = 0x3C00, BF16 -2.0 = 0xC000 (little-endian).
        var header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},\"g\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[2,4]}}"u8.ToArray();
        var file = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        file[^4] = 0x00; file[^3] = 0x3C; file[^2] = 0x00; file[^1] = 0xC0;

        var st = SafeTensorsFile.Read(file);

        st["h"].ToFloat32().Should().Equal(1f);
        st["g"].ToFloat32().Should().Equal(-2f);
    }

    [Fact]
    public void Offsets_that_do_not_match_the_shape_are_rejected()
    {
        var header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}"u8.ToArray();
        var file = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);

        var act = () => SafeTensorsFile.Read(file);

        act.Should().Throw<SafeTensorsException>().WithMessage("*needs 8 bytes*");
    }

    [Fact]
    public void Garbage_is_rejected()
    {
        var act = () => SafeTensorsFile.Read(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1 });

        act.Should().Throw<SafeTensorsException>();
    }
}
