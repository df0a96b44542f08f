using System.Text;
using SdApi.Contract.WireMock;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Harness;

/// <summary>
/// Base of tests that talk to the shared WireMock: resets its journal and scenarios before each test, and <see cref="RunAsync"/> attaches
/// WireMock's log for this test plus the unmatched requests and near misses to the output of a failing test.
/// </summary>
[Collection(WireMockCollection.Name)]
public abstract class WireMockTest(WireMockFixture wireMock, ITestOutputHelper output) : IAsyncLifetime
{
    private int _logMark;

    protected WireMockFixture WireMock { get; } = wireMock;

    protected ITestOutputHelper Output { get; } = output;

    protected WireMockAdmin Admin => WireMock.Admin;

    public virtual async Task InitializeAsync()
    {
        // Journal and scenarios only: reloading the ~200 schema-checking stubs before every test would cost seconds.
        // A test that adds stubs removes them (see AddStubAsync).
        await Admin.ResetRequestsAsync();
        await Admin.ResetScenariosAsync();
        _logMark = WireMock.Server.LogLength;
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var id in _added)
            await Admin.RemoveMappingAsync(id);
    }

    private readonly List<Guid> _added = [];

    /// <summary>Adds a stub for this test only.</summary>
    protected async Task AddStubAsync(System.Text.Json.Nodes.JsonObject mapping) => _added.Add(await Admin.AddMappingAsync(mapping));

    /// <summary>Runs the test body; on failure writes WireMock's log and near misses to the test output.</summary>
    protected async Task RunAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception)
        {
            await DumpAsync();
            throw;
        }
    }

    /// <summary>No request reached WireMock unmatched, and exactly <paramref name="expected"/> requests were made.</summary>
    protected async Task ExpectRequestsAsync(int expected)
    {
        var unmatched = await Admin.GetUnmatchedAsync();
        var nearMisses = unmatched.Count == 0 ? [] : await Admin.GetNearMissesAsync();
        unmatched.Should().BeEmpty("every request must match a spec-derived stub; near misses:\n{0}",
            string.Join('\n', nearMisses.Take(5)));
        var requests = await Admin.GetRequestsAsync();
        requests.Should().HaveCount(expected, "the test expects {0} request(s); got:\n{1}", expected, string.Join('\n', requests));
    }

    private async Task DumpAsync()
    {
        var text = new StringBuilder();
        try
        {
            foreach (var miss in await Admin.GetNearMissesAsync())
                text.AppendLine("near miss: " + miss);
        }
        catch (HttpRequestException ex)
        {
            text.AppendLine("near misses unavailable: " + ex.Message);
        }
        text.AppendLine("---- WireMock log for this test ----");
        text.AppendLine(WireMock.Server.LogSince(_logMark));
        Output.WriteLine(text.ToString());
    }
}
