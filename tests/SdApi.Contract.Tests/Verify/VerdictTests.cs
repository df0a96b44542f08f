using SdApi.Contract.Verify;

namespace SdApi.Contract.Tests.Verify;

public sealed class VerdictTests
{
    [Theory]
    [InlineData(200, """{"status":"success","output":[]}""", VerdictKind.Accepted)]
    [InlineData(200, """{"status":"processing","eta":3}""", VerdictKind.Accepted)]
    [InlineData(200, """{"status":"error","messege":{"width":["The width must be a number."]}}""", VerdictKind.ValidationError)]
    [InlineData(400, """{"status":"error","message":{"samples":["The maximum value is 4."]}}""", VerdictKind.ValidationError)]
    [InlineData(401, """{"status":"error","message":"Invalid Api Key"}""", VerdictKind.OtherError)]
    [InlineData(500, """{"status":"success"}""", VerdictKind.OtherError)]
    [InlineData(404, "No response could be served", VerdictKind.Unreadable)]
    public void Reads_the_kind_of_answer(int status, string body, VerdictKind kind) =>
        Verdict.Read(status, body).Kind.Should().Be(kind);

    [Fact]
    public void Validation_error_names_its_fields()
    {
        var verdict = Verdict.Read(200, """{"status":"error","message":{"width":["a"],"height":["b"]}}""");
        verdict.Fields.Should().Equal("width", "height");
        verdict.Rejects("width").Should().BeTrue();
        verdict.Rejects("samples").Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"status":"error","message":"Invalid Api Key"}""", "key", true)]
    [InlineData("""{"status":"error","message":"Unable to fetch image (init_image: only http and https URLs are allowed)."}""", "init_image", true)]
    [InlineData("""{"status":"error","message":"Invalid Api Key"}""", "width", false)]
    [InlineData("""{"status":"success"}""", "key", false)]
    public void A_sentence_error_rejects_the_field_it_mentions(string body, string field, bool rejects) =>
        Verdict.Read(401, body).Rejects(field).Should().Be(rejects);
}
