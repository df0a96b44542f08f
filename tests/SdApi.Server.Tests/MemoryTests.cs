using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SdApi.Bindings.Server;
using SdApi.Server.Hosting;
using SdApi.Server.Tests.Infrastructure;

namespace SdApi.Server.Tests;

/// <summary>What keeps a large accepted body from costing more memory than it must: the body read once and used in
/// place, and an idle server giving its heap back (figures in bench/RESULTS.md, "Hardening").</summary>
public sealed class MemoryTests
{
    [Fact]
    public async Task A_body_already_held_in_memory_is_read_in_place_not_copied()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"key":"k","prompt":"p"}""");
        using var held = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);

        var body = await ServerRequestReader.ReadAsync("application/json", bytes.Length, held, new SdApiServerOptions(), CancellationToken.None);

        body.Error.Should().BeNull();
        MemoryMarshal.TryGetArray(body.Json, out var segment).Should().BeTrue();
        segment.Array.Should().BeSameAs(bytes);
        segment.Count.Should().Be(bytes.Length);
    }

    [Fact]
    public async Task A_held_body_over_the_limit_is_refused_413()
    {
        var bytes = new byte[100];
        using var held = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);

        var body = await ServerRequestReader.ReadAsync("application/json", null, held, new SdApiServerOptions { MaxBodyBytes = 99 }, CancellationToken.None);

        body.Error!.StatusCode.Should().Be(413);
    }

    [Fact]
    public async Task A_streamed_body_reads_whole_with_or_without_a_content_length()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"prompt\":\"" + new string('a', 100_000) + "\"}");
        foreach (var length in new long?[] { bytes.Length, null })
        {
            using var stream = new NonSeekable(bytes);
            var body = await ServerRequestReader.ReadAsync(null, length, stream, new SdApiServerOptions(), CancellationToken.None);
            body.Json.ToArray().Should().Equal(bytes, $"Content-Length {length?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"}");
        }
    }

    [Fact]
    public async Task An_idle_server_above_the_threshold_gives_memory_back()
    {
        var clock = new WatchedClock();
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["SdApi:Limits:IdleTrimInterval"] = "00:00:07",
            ["SdApi:Limits:IdleTrimAboveBytes"] = "1", // any heap is above it
            ["SdApi:Limits:IdleTrimQuietBytes"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), // other tests share the process
        }, s => s.AddSingleton<TimeProvider>(clock));
        var trimmed = new TaskCompletionSource<(long Before, long After)>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IdleMemoryTrim>().Trimmed += (before, after) => trimmed.TrySetResult((before, after));

        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(7)); // the trim looks on the clock
        clock.Advance(TimeSpan.FromSeconds(7));
        var (before, after) = await trimmed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        before.Should().BePositive();
        after.Should().BePositive().And.BeLessThanOrEqualTo(before, "an aggressive collection decommits, it does not grow the heap");
    }

    /// <summary>A network-like stream: no buffer to borrow, reads in small pieces.</summary>
    private sealed class NonSeekable(byte[] bytes) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 4096), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
