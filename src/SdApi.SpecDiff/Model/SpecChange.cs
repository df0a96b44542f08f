namespace SdApi.SpecDiff.Model;

/// <summary>One difference between the older and newer spec.</summary>
/// <param name="Severity">breaking or safe.</param>
/// <param name="Kind">a stable code such as <c>field-removed</c> or <c>maximum-lowered</c>.</param>
/// <param name="Location">where: <c>V4Text2ImgRequest.num_inference_steps</c>, <c>V4Text2ImgRequest#rule:steps-v4-text2img</c>, or an operation id.</param>
/// <param name="Operations">the operations that reach the location (a shared schema is reported once).</param>
/// <param name="Affects">who breaks: <c>callers</c> (client code and requests), <c>servers</c> (server stubs and responses).</param>
/// <param name="Message">one human sentence.</param>
/// <param name="Old">the older value, when there is one to show.</param>
/// <param name="New">the newer value, when there is one to show.</param>
public sealed record SpecChange(
    ChangeSeverity Severity,
    string Kind,
    string Location,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string> Affects,
    string Message,
    string? Old,
    string? New);
