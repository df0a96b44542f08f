using SdApi.Contract.Hosting;

namespace SdApi.Contract.Tests.Mappings;

public sealed class JavaRuntimeTests
{
    [Fact]
    public void Missing_java_says_how_to_install_it()
    {
        var empty = Directory.CreateTempSubdirectory("sdapi-nojava-").FullName;
        try
        {
            var find = () => JavaRuntime.Find(javaHome: null, path: empty);
            find.Should().Throw<JavaNotFoundException>()
                .WithMessage("*apt-get install -y openjdk-17-jre-headless*").And.Message.Should().Contain(".ci/run");
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Java_on_PATH_is_found()
    {
        JavaRuntime.Find().Should().EndWith("java");
    }
}
