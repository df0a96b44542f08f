using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SdApi.Contract.Spec;
using SdApi.Server.Generation;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests.Fuzz;

/// <summary>2,000 seeded requests over all 13 operations, generated from the spec's request schemas and mutated at
/// the byte level: no 5xx, every answer JSON in the API's shape and in the spec's response schema, the server up.
/// The longer run (10,000+) is bench/FuzzBench.</summary>
public sealed class FuzzTests
{
    [Theory]
    [InlineData(20261205, 2000)]
    public async Task Mutated_requests_never_get_a_5xx_or_an_answer_outside_the_spec(int seed, int count)
    {
        var spec = ContractSpec.LoadEmbedded();
        spec.Operations.Should().HaveCount(13);
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Jobs:SyncBudget"] = "00:00:00",
            ["SdApi:Limits:MaxFailedKeysPerAddress"] = "1000000",
        }, services =>
        {
            services.RemoveAll<IImageGenerator>();
            services.AddSingleton<IImageGenerator, PatternImageGenerator>();
        });
        var fuzzer = new RequestFuzzer(spec, ServerHost.Key, seed);
        var tally = new FuzzTally();
        var operations = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var request = fuzzer.Next();
            operations.Add(request.Operation.OperationId);
            using var content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            using var response = await host.Http.PostAsync(request.Path, content);
            var answer = await response.Content.ReadAsByteArrayAsync();
            fuzzer.Check(request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, answer, tally);
        }

        operations.Should().HaveCount(13, "every operation is fuzzed");
        tally.Requests.Should().Be(count);
        tally.Failures.Should().BeEmpty();
        tally.Clean.Should().BeTrue();
        tally.ByStatus.Keys.Should().Contain([200, 400, 401], "the run reaches handlers, validators and key checks, not only the body guard");
        (await host.Http.GetAsync("/health")).IsSuccessStatusCode.Should().BeTrue("the server stays up");

    }
}
