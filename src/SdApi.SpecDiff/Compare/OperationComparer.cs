using System.Text.Json.Nodes;
using SdApi.SpecDiff.Reading;

namespace SdApi.SpecDiff.Compare;

/// <summary>Matches operations by operationId and compares what the generator turns into client methods and
/// server stubs: route, x-sdapi-kind, tag (the client group), request body, responses and webhook callbacks.</summary>
internal sealed class OperationComparer(SpecDocument oldSpec, SpecDocument newSpec, ChangeCollector sink)
{
    private const string Json = "application/json";
    private readonly SchemaComparer _schemas = new(oldSpec, newSpec, sink);

    public void CompareAll()
    {
        var newById = newSpec.Operations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var oldIds = oldSpec.Operations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var old in oldSpec.Operations)
        {
            sink.CurrentOperation = old.Id;
            _schemas.BeginOperation();
            if (newById.TryGetValue(old.Id, out var @new))
                Compare(old, @new);
            else
                sink.Breaking("operation-removed", old.Id, ChangeCollector.Both,
                    $"{old.Id} ({old.Method} {old.Path}) is removed: its client method and server stub disappear");
        }
        foreach (var added in newSpec.Operations.Where(o => !oldIds.Contains(o.Id)))
        {
            sink.CurrentOperation = added.Id;
            sink.Safe("operation-added", added.Id, $"{added.Id} ({added.Method} {added.Path}) is new");
        }
        sink.CurrentOperation = "";
    }

    private void Compare(OperationSpec old, OperationSpec @new)
    {
        var id = old.Id;
        if (old.Method != @new.Method || old.Path != @new.Path)
            sink.Breaking("operation-moved", id, ChangeCollector.Both,
                $"{id} moves from {old.Method} {old.Path} to {@new.Method} {@new.Path}", $"{old.Method} {old.Path}", $"{@new.Method} {@new.Path}");
        Same("operation-kind-changed", id, NodeValues.Text(old.Node["x-sdapi-kind"]), NodeValues.Text(@new.Node["x-sdapi-kind"]),
            "x-sdapi-kind (client and server behaviour)");
        Same("operation-group-changed", id, NodeValues.Text(old.Node["tags"]?[0]), NodeValues.Text(@new.Node["tags"]?[0]),
            "tag (the client group, e.g. client.V4)");
        CompareParameters(old, @new);
        CompareRequest(old, @new);
        CompareResponses(old, @new);
        CompareCallbacks(old, @new);
    }

    private void Same(string kind, string id, string? old, string? @new, string what)
    {
        if (old != @new)
            sink.Breaking(kind, id, ChangeCollector.Both, $"{id}: {what} changes from {old ?? "none"} to {@new ?? "none"}", old, @new);
    }

    /// <summary>Path, query and header parameters by (in, name): they become arguments of the generated method.</summary>
    private void CompareParameters(OperationSpec old, OperationSpec @new)
    {
        var oldParameters = Parameters(oldSpec, old);
        var newParameters = Parameters(newSpec, @new);
        foreach (var (key, oldParameter) in oldParameters)
        {
            var at = $"{old.Id} parameter {key}";
            if (!newParameters.TryGetValue(key, out var newParameter))
            {
                sink.Breaking("parameter-removed", at, ChangeCollector.Both, $"{at}: the parameter is removed; the generated method loses an argument");
                continue;
            }
            if (!NodeValues.Flag(oldParameter["required"]) && NodeValues.Flag(newParameter["required"]))
                sink.Breaking("parameter-now-required", at, ChangeCollector.Callers, $"{at}: the parameter becomes required");
            _schemas.Compare(oldParameter["schema"], newParameter["schema"], at, Direction.Request);
        }
        foreach (var (key, added) in newParameters.Where(p => !oldParameters.ContainsKey(p.Key)))
        {
            var at = $"{old.Id} parameter {key}";
            if (NodeValues.Flag(added["required"]))
                sink.Breaking("required-parameter-added", at, ChangeCollector.Callers, $"{at}: a new required parameter; calls without it are rejected");
            else
                sink.Safe("parameter-added", at, $"{at}: a new optional parameter");
        }
    }

    /// <summary>The operation's parameters over the path item's ones (OpenAPI: the operation's win), keyed "in name".</summary>
    private static Dictionary<string, JsonObject> Parameters(SpecDocument spec, OperationSpec operation)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var list in new[] { operation.PathItem["parameters"], operation.Node["parameters"] })
            foreach (var parameter in NodeValues.Items(list).Select(p => spec.Resolve(p).Node).OfType<JsonObject>())
                result[$"{NodeValues.Text(parameter["in"])} {NodeValues.Text(parameter["name"])}"] = parameter;
        return result;
    }

    private void CompareRequest(OperationSpec old, OperationSpec @new)
    {
        var oldBody = oldSpec.Resolve(old.Node["requestBody"]).Node;
        var newBody = newSpec.Resolve(@new.Node["requestBody"]).Node;
        var at = $"{old.Id} request";
        if (oldBody is null && newBody is null)
            return;
        var newRequired = NodeValues.Flag(newBody?["required"]);
        if (oldBody is null)
        {
            if (newRequired)
                sink.Breaking("request-body-added", at, ChangeCollector.Callers, $"{at}: a required request body is new");
            else
                sink.Safe("request-body-added", at, $"{at}: an optional request body is new");
            return;
        }
        if (newBody is null)
        {
            sink.Breaking("request-body-removed", at, ChangeCollector.Both, $"{at}: the request body is removed");
            return;
        }
        if (!NodeValues.Flag(oldBody["required"]) && newRequired)
            sink.Breaking("request-body-now-required", at, ChangeCollector.Callers, $"{at}: the request body becomes required");
        CompareContent(oldBody, newBody, at, Direction.Request);
    }

    private void CompareResponses(OperationSpec old, OperationSpec @new)
    {
        var oldResponses = old.Node["responses"] as JsonObject ?? [];
        var newResponses = @new.Node["responses"] as JsonObject ?? [];
        foreach (var (status, oldResponse) in oldResponses)
        {
            var at = $"{old.Id} response {status}";
            if (!newResponses.TryGetPropertyValue(status, out var newResponse))
            {
                sink.Breaking("response-removed", at, ChangeCollector.Servers,
                    $"{at}: the response is removed; servers that answer it are out of contract");
                continue;
            }
            var (oldResolved, newResolved) = (oldSpec.Resolve(oldResponse).Node, newSpec.Resolve(newResponse).Node);
            if (oldResolved is not null && newResolved is not null)
                CompareContent(oldResolved, newResolved, at, Direction.Response);
        }
        foreach (var status in newResponses.Select(r => r.Key).Where(s => !oldResponses.ContainsKey(s)))
            sink.Safe("response-added", $"{old.Id} response {status}", $"{old.Id}: a new {status} response is documented");
    }

    /// <summary>Webhook bodies travel from the server to the caller's endpoint, so they compare like responses.</summary>
    private void CompareCallbacks(OperationSpec old, OperationSpec @new)
    {
        var oldCallbacks = old.Node["callbacks"] as JsonObject ?? [];
        var newCallbacks = @new.Node["callbacks"] as JsonObject ?? [];
        foreach (var (name, oldCallback) in oldCallbacks)
        {
            var at = $"{old.Id} callback {name}";
            if (!newCallbacks.TryGetPropertyValue(name, out var newCallback))
            {
                sink.Breaking("callback-removed", at, ChangeCollector.Callers, $"{at}: the callback is removed; callers that expect it get nothing");
                continue;
            }
            foreach (var (expression, oldItem) in oldSpec.Resolve(oldCallback).Node ?? [])
            {
                var newItem = newSpec.Resolve(newCallback).Node?[expression];
                var oldBody = oldSpec.Resolve(oldItem?["post"]?["requestBody"]).Node;
                var newBody = newSpec.Resolve(newItem?["post"]?["requestBody"]).Node;
                if (oldBody is not null && newBody is null)
                    sink.Breaking("callback-removed", at, ChangeCollector.Callers, $"{at}: the callback body for {expression} is removed");
                else if (oldBody is not null && newBody is not null)
                    CompareContent(oldBody, newBody, at, Direction.Response);
            }
        }
        foreach (var name in newCallbacks.Select(c => c.Key).Where(n => !oldCallbacks.ContainsKey(n)))
            sink.Safe("callback-added", $"{old.Id} callback {name}", $"{old.Id}: a new callback '{name}'");
    }

    private void CompareContent(JsonObject old, JsonObject @new, string at, Direction direction)
    {
        var oldContent = old["content"] as JsonObject ?? [];
        var newContent = @new["content"] as JsonObject ?? [];
        foreach (var (mediaType, oldMedia) in oldContent)
        {
            if (!newContent.TryGetPropertyValue(mediaType, out var newMedia))
            {
                sink.Breaking("content-type-removed", at, ChangeCollector.Both, $"{at}: {mediaType} is no longer used", mediaType, null);
                continue;
            }
            var location = mediaType == Json ? at : $"{at} ({mediaType})";
            _schemas.Compare(oldMedia?["schema"], newMedia?["schema"], location, direction);
        }
        foreach (var mediaType in newContent.Select(c => c.Key).Where(m => !oldContent.ContainsKey(m)))
            sink.Safe("content-type-added", at, $"{at}: {mediaType} is new", null, mediaType);
    }
}
