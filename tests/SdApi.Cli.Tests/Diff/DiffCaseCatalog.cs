using static SdApi.Cli.Tests.Diff.SpecEditor;

namespace SdApi.Cli.Tests.Diff;

/// <summary>The pinned spec pairs for `sdapi diff`: each is openapi.yaml with one small edit, named after what it
/// changes. Constraint edits change the JSON Schema and the matching x-sdapi-rules entry together, as the spec
/// conventions require.</summary>
internal static class DiffCaseCatalog
{
    private const string V4Text2Img = "V4Text2ImgRequest";
    private const string V6Text2Img = "V6Text2ImgRequest";

    public static IReadOnlyList<DiffCase> All { get; } =
    [
        new("identical", "no edit", _ => { }),
        new("description-only", "a description and an x-source change; nothing the bindings see", spec =>
        {
            Set(spec.Property(V4Text2Img, "prompt"), "description", "What the picture should show.");
            Set(spec.Property(V4Text2Img, "prompt"), "x-source", "000_4195d587c848e2d8.txt, Body Attributes");
        }),
        new("operation-removed", "the v4 inpaint operation is gone", spec =>
            Remove(spec.Map("paths"), "/api/v4/dreambooth/inpaint")),
        new("operation-added", "a new v6 operation (a copy of fetch under a new path and id)", spec =>
        {
            var copy = (YamlDotNet.RepresentationModel.YamlMappingNode)Clone(spec.Map("paths", "/api/v6/images/fetch"));
            Set((YamlDotNet.RepresentationModel.YamlMappingNode)copy.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("post")], "operationId", "v6FetchQueue");
            Set(spec.Map("paths"), "/api/v6/images/fetch_queue", copy);
        }),
        new("required-parameter-added", "v6 fetch/{id} gains a required query parameter", spec =>
            Sequence(spec.Map("paths", "/api/v6/images/fetch/{id}", "post"), "parameters").Children.Add(
                Node("{name: priority, in: query, required: true, description: 'Queue priority.', schema: {type: string}}"))),
        new("request-field-removed", "negative_prompt removed from the v4 text2img body", spec =>
            Remove(spec.Map("components", "schemas", V4Text2Img, "properties"), "negative_prompt")),
        new("optional-field-added", "a new optional style_preset on the v6 text2img body", spec =>
            Set(spec.Map("components", "schemas", V6Text2Img, "properties"), "style_preset",
                Node("{description: 'Style preset.', type: string, x-sdapi-kind: string}"))),
        new("required-field-added", "a new required style_preset on the v6 text2img body", spec =>
        {
            Set(spec.Map("components", "schemas", V6Text2Img, "properties"), "style_preset",
                Node("{description: 'Style preset.', type: string, x-sdapi-kind: string}"));
            Add(Sequence(spec.Schema(V6Text2Img), "required"), "style_preset");
        }),
        new("field-now-required", "model_id becomes required on the v4 text2img body", spec =>
            Add(Sequence(spec.Schema(V4Text2Img), "required"), "model_id")),
        new("maximum-lowered", "v4 num_inference_steps maximum 51 -> 40 (schema and rule)", spec =>
        {
            Set(Branch(spec.Property(V4Text2Img, "num_inference_steps"), "integer"), "maximum", 40);
            Set(spec.Rule(V4Text2Img, "steps-v4-text2img"), "max", 40);
        }),
        new("minimum-raised", "v6 samples minimum 1 -> 2 (schema and rule)", spec =>
        {
            Set(Branch(spec.Property(V6Text2Img, "samples"), "integer"), "minimum", 2);
            Set(spec.Rule(V6Text2Img, "samples-v6-text2img"), "min", 2);
        }),
        new("maximum-raised", "v4 width maximum 1024 -> 2048 (schema and rule): looser", spec =>
        {
            Set(Branch(spec.Property(V4Text2Img, "width"), "integer"), "maximum", 2048);
            Set(spec.Rule(V4Text2Img, "width-range-v4-text2img"), "max", 2048);
        }),
        new("enum-value-removed", "v4 safety_checker_type loses pixelate (schema and rule)", spec =>
        {
            RemoveValue(Sequence(spec.Property(V4Text2Img, "safety_checker_type"), "enum"), "pixelate");
            RemoveValue(Sequence(spec.Rule(V4Text2Img, "safety-checker-type-v4-text2img"), "values"), "pixelate");
        }),
        new("enum-value-added", "v4 safety_checker_type gains grayscale (schema and rule)", spec =>
        {
            Add(Sequence(spec.Property(V4Text2Img, "safety_checker_type"), "enum"), "grayscale");
            Add(Sequence(spec.Rule(V4Text2Img, "safety-checker-type-v4-text2img"), "values"), "grayscale");
        }),
        // height: its divisibility by 8 is an error rule (error-codes.mdx); the width's only warns and is not in the schema.
        new("step-rule-stricter", "v6 height must be a multiple of 64 instead of 8 (schema and rule)", spec =>
        {
            Set(Branch(spec.Property(V6Text2Img, "height"), "integer"), "multipleOf", 64);
            Set(spec.Rule(V6Text2Img, "height-multiple-of-8-v6-text2img"), "value", 64);
        }),
        new("step-rule-looser", "v6 height must be a multiple of 4 instead of 8 (schema and rule)", spec =>
        {
            Set(Branch(spec.Property(V6Text2Img, "height"), "integer"), "multipleOf", 4);
            Set(spec.Rule(V6Text2Img, "height-multiple-of-8-v6-text2img"), "value", 4);
        }),
        new("rule-added", "a new x-sdapi-rules entry: v4 prompt at most 2000 characters (rule only)", spec =>
            spec.Rules(V4Text2Img).Children.Add(Node(
                "{id: prompt-length-v4-text2img, field: prompt, check: max-length, value: 2000, message: 'The prompt may not be greater than 2000 characters.'}"))),
        new("rule-removed", "the v4 clip-skip range rule is dropped (rule only)", spec =>
            Sequence(spec.Schema(V4Text2Img), "x-sdapi-rules").Children.Remove(spec.Rule(V4Text2Img, "clip-skip-v4-text2img"))),
        new("kind-changed", "v4 safety_checker_type x-sdapi-kind enum -> string; the wire schema is unchanged", spec =>
            Set(spec.Property(V4Text2Img, "safety_checker_type"), "x-sdapi-kind", "string")),
        new("type-changed", "v6 seed becomes a plain nullable string (type and x-sdapi-kind)", spec =>
        {
            var seed = spec.Property(V6Text2Img, "seed");
            Remove(seed, "oneOf");
            Set(seed, "type", "string");
            Set(seed, "nullable", true);
            Set(seed, "x-sdapi-kind", "string");
        }),
        new("nullable-removed", "v4 negative_prompt no longer accepts null", spec =>
            Remove(spec.Property(V4Text2Img, "negative_prompt"), "nullable")),
        new("response-field-removed", "SuccessResponse loses tip", spec =>
            Remove(spec.Map("components", "schemas", "SuccessResponse", "properties"), "tip")),
        new("response-field-added", "SuccessResponse gains an optional nsfw_score", spec =>
            Set(spec.Map("components", "schemas", "SuccessResponse", "properties"), "nsfw_score",
                Node("{description: 'NSFW score.', type: number, x-sdapi-kind: number}"))),
        new("response-field-now-required", "SuccessResponse.output becomes required: servers must always send it", spec =>
            Add(Sequence(spec.Schema("SuccessResponse"), "required"), "output")),
    ];
}
