using System.Globalization;
using System.Xml;

namespace SdApi.Contract.Verify;

/// <summary>Writes verify results as JUnit XML (one testsuite per case suite), the format CI servers read.</summary>
public static class JUnitWriter
{
    public static void Write(IReadOnlyList<VerifyResult> results, string path, string name = "sdapi verify")
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        using var writer = XmlWriter.Create(path, new XmlWriterSettings { Indent = true });
        writer.WriteStartDocument();
        writer.WriteStartElement("testsuites");
        writer.WriteAttributeString("name", name);
        writer.WriteAttributeString("tests", Count(results.Count));
        writer.WriteAttributeString("failures", Count(results.Count(r => !r.Passed)));
        writer.WriteAttributeString("time", Seconds(results.Aggregate(TimeSpan.Zero, (t, r) => t + r.Elapsed)));
        foreach (var suite in results.GroupBy(r => r.Case.Suite))
        {
            writer.WriteStartElement("testsuite");
            writer.WriteAttributeString("name", suite.Key);
            writer.WriteAttributeString("tests", Count(suite.Count()));
            writer.WriteAttributeString("failures", Count(suite.Count(r => !r.Passed)));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("time", Seconds(suite.Aggregate(TimeSpan.Zero, (t, r) => t + r.Elapsed)));
            foreach (var result in suite)
            {
                writer.WriteStartElement("testcase");
                writer.WriteAttributeString("classname", $"sdapi.verify.{suite.Key}.{result.Case.OperationId}");
                writer.WriteAttributeString("name", result.Case.Name);
                writer.WriteAttributeString("time", Seconds(result.Elapsed));
                if (!result.Passed)
                {
                    writer.WriteStartElement("failure");
                    writer.WriteAttributeString("message", result.Failures[0]);
                    writer.WriteAttributeString("type", "ContractViolation");
                    writer.WriteString(string.Join('\n', result.Failures) + $"\nPOST {result.Case.Path}\n{result.Case.Body.ToJsonString()}");
                    writer.WriteEndElement();
                }
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
