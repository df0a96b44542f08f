using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using SdApi.Bindings;
using SdApi.Bindings.Http;

namespace SdApi.Testing.Tests.Harness;

/// <summary>Calls the generated client's method for an operation id (<c>v4Text2Img</c> -> <c>client.V4.Text2ImgAsync</c>)
/// with a JSON body read into the operation's typed request, so tests can walk every operation of the spec.</summary>
public static class ClientCalls
{
    /// <summary>Invokes the operation; <paramref name="id"/> fills a <c>{id}</c> path segment.</summary>
    public static async Task<Response<Outcome>> InvokeAsync(SdApiClient client, string operationId, JsonObject body, string id = "29763508",
        CancellationToken cancellationToken = default)
    {
        var operation = SdApiOperations.FindById(operationId) ?? throw new ArgumentException($"no generated operation {operationId}");
        var request = operation.ReadRequest(Encoding.UTF8.GetBytes(body.ToJsonString()));
        var subClient = typeof(SdApiClient).GetProperty(operation.Tag.ToUpperInvariant())!.GetValue(client)!;
        var name = char.ToUpperInvariant(operationId[2]) + operationId[3..] + "Async";
        var method = subClient.GetType().GetMethod(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new MissingMethodException(subClient.GetType().Name, name);
        object?[] arguments = method.GetParameters()[0].ParameterType == typeof(string)
            ? [id, request, cancellationToken]
            : [request, cancellationToken];
        try
        {
            return await (Task<Response<Outcome>>)method.Invoke(subClient, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
