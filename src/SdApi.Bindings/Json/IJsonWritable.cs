using System.Text.Json;

namespace SdApi.Bindings.Json;

/// <summary>A generated model that writes itself as JSON (no reflection, trimming/AOT-safe).</summary>
public interface IJsonWritable
{
    void WriteJson(Utf8JsonWriter writer);
}

/// <summary>A generated reader: <c>Outcome.ReadJson</c>, <c>V6Text2ImgRequest.ReadJson</c>, ...</summary>
public delegate T JsonRead<out T>(ref Utf8JsonReader reader);
