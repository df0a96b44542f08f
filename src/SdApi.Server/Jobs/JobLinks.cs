using System.Globalization;

namespace SdApi.Server.Jobs;

/// <summary>The URLs a job's answers carry: outputs under the server's base URL, and fetch_result pointing at the
/// fetch/{id} endpoint of the version that accepted the job.</summary>
public static class JobLinks
{
    public const string GenerationsPath = "/generations";
    public const string TempPath = "/temp";

    public static IReadOnlyList<string> Outputs(JobRecord job) =>
        [.. job.OutputFiles.Select(f => $"{job.BaseUrl}{(job.Temp ? TempPath : GenerationsPath)}/{f}")];

    public static string FetchResult(JobRecord job) =>
        job.BaseUrl + FetchPath(job.Version, job.Id.ToString(CultureInfo.InvariantCulture));

    public static string FetchPath(string version, string id) => version switch
    {
        "v6" => $"/api/v6/images/fetch/{id}",
        "v3" => $"/api/v3/dreambooth/fetch/{id}",
        _ => $"/api/v4/dreambooth/fetch/{id}",
    };
}
