using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SdApi.Server.Storage;

using SdApi.Server.Generation;

namespace SdApi.Server.Jobs;

/// <summary>Jobs, their inputs and results in SQLite (<c>&lt;DataDir&gt;/jobs.db</c>). Every state change is
/// committed before it is acted on, so a killed process loses nothing it had accepted.</summary>
public sealed class JobStore
{
    private readonly string _connectionString;
    private readonly int _maxModelStates;

    public JobStore(DataFolder data, Microsoft.Extensions.Options.IOptions<Configuration.ServerOptions>? options = null)
    {
        _maxModelStates = Math.Max(1, options?.Value.Limits.MaxModelStateRows ?? new Configuration.LimitOptions().MaxModelStateRows);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = data.Database,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS jobs (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              key_tag TEXT NOT NULL,
              version TEXT NOT NULL,
              operation TEXT NOT NULL,
              status TEXT NOT NULL,
              request_json TEXT NOT NULL,
              base_url TEXT NOT NULL,
              created_at TEXT NOT NULL,
              finished_at TEXT,
              generation_time REAL,
              output_files TEXT NOT NULL,
              message TEXT,
              webhook TEXT,
              track_id TEXT,
              temp INTEGER NOT NULL,
              base64 INTEGER NOT NULL,
              eta REAL NOT NULL,
              webhook_status TEXT,
              attempts INTEGER NOT NULL DEFAULT 0,
              nsfw INTEGER NOT NULL DEFAULT 0,
              scheduler TEXT,
              seed INTEGER,
              width INTEGER,
              height INTEGER,
              prompt_used TEXT
            );
            CREATE INDEX IF NOT EXISTS jobs_active ON jobs(status, key_tag);
            CREATE TABLE IF NOT EXISTS job_inputs (
              job_id INTEGER NOT NULL,
              name TEXT NOT NULL,
              data BLOB NOT NULL,
              PRIMARY KEY (job_id, name)
            );
            CREATE TABLE IF NOT EXISTS model_state (
              model_id TEXT PRIMARY KEY,
              last_used TEXT NOT NULL,
              reload_ready_at TEXT
            );
            """);
        // Data folders made before the column existed: their jobs keep the job id as seed (what that version used).
        AddColumnIfMissing(connection, "jobs", "seed", "INTEGER");
        AddColumnIfMissing(connection, "jobs", "width", "INTEGER");
        AddColumnIfMissing(connection, "jobs", "height", "INTEGER");
        AddColumnIfMissing(connection, "jobs", "prompt_used", "TEXT");
        AddColumnIfMissing(connection, "jobs", "engine_model", "TEXT");
        AddColumnIfMissing(connection, "jobs", "synthesized_loras", "TEXT");
        AddColumnIfMissing(connection, "jobs", "engine_notes", "TEXT");
        AddColumnIfMissing(connection, "jobs", "warnings", "TEXT");
    }

    /// <param name="aroundCommit">Runs the transaction's commit (given to it as a function) where the caller needs it, e.g.
    /// under a lock; null commits directly.</param>
    public async Task<JobRecord> InsertAsync(NewJob job, DateTimeOffset now, CancellationToken ct = default, Func<Func<Task>, Task>? aroundCommit = null)
    {
        await using var connection = Open();
        await using var tx = connection.BeginTransaction();
        long id;
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO jobs (key_tag, version, operation, status, request_json, base_url, created_at,
                                  output_files, webhook, track_id, temp, base64, eta, seed, warnings)
                VALUES ($key, $version, $op, 'Queued', $req, $base, $created, '[]', $webhook, $track, $temp, $b64, $eta, $seed, $warnings);
                SELECT last_insert_rowid();
                """;
            insert.Parameters.AddWithValue("$key", job.KeyTag);
            insert.Parameters.AddWithValue("$version", job.Version);
            insert.Parameters.AddWithValue("$op", job.Operation);
            insert.Parameters.AddWithValue("$req", job.RequestJson);
            insert.Parameters.AddWithValue("$base", job.BaseUrl);
            insert.Parameters.AddWithValue("$created", Format(now));
            insert.Parameters.AddWithValue("$webhook", (object?)job.Webhook ?? DBNull.Value);
            insert.Parameters.AddWithValue("$track", (object?)job.TrackId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$temp", job.Temp ? 1 : 0);
            insert.Parameters.AddWithValue("$b64", job.Base64 ? 1 : 0);
            insert.Parameters.AddWithValue("$eta", job.EtaSeconds);
            insert.Parameters.AddWithValue("$seed", job.Seed);
            insert.Parameters.AddWithValue("$warnings", WarningsJson(job.Warnings));
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        // Output names are fixed now so processing answers can list future_links.
        var files = Enumerable.Range(0, job.Samples).Select(i => OutputName(id, i, job.Base64)).ToList();
        await using (var update = connection.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE jobs SET output_files = $files WHERE id = $id";
            update.Parameters.AddWithValue("$files", JsonSerializer.Serialize(files));
            update.Parameters.AddWithValue("$id", id);
            await update.ExecuteNonQueryAsync(ct);
        }
        foreach (var (name, data) in job.Inputs)
        {
            await using var input = connection.CreateCommand();
            input.Transaction = tx;
            input.CommandText = "INSERT INTO job_inputs (job_id, name, data) VALUES ($id, $name, $data)";
            input.Parameters.AddWithValue("$id", id);
            input.Parameters.AddWithValue("$name", name);
            input.Parameters.AddWithValue("$data", data);
            await input.ExecuteNonQueryAsync(ct);
        }
        if (aroundCommit is null)
            await tx.CommitAsync(ct);
        else
            await aroundCommit(() => tx.CommitAsync(CancellationToken.None));
        return (await GetAsync(id, ct))!;
    }

    /// <summary><c>12-0.png</c>, or <c>12-0.base64</c> when the caller asked for base64 output.</summary>
    public static string OutputName(long id, int index, bool base64) =>
        string.Create(CultureInfo.InvariantCulture, $"{id}-{index}.{(base64 ? "base64" : "png")}");

    public async Task<JobRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM jobs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetInputsAsync(long id, CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, data FROM job_inputs WHERE job_id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var inputs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
            inputs[reader.GetString(0)] = (byte[])reader.GetValue(1);
        return inputs;
    }

    /// <summary>Ids of jobs accepted but not finished (queued, or running when the process stopped), oldest first.</summary>
    public async Task<IReadOnlyList<long>> UnfinishedAsync(CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM jobs WHERE status IN ('Queued', 'Running') ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>Finished jobs with a webhook whose delivery had not ended when the process stopped.</summary>
    public async Task<IReadOnlyList<long>> PendingWebhooksAsync(CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM jobs WHERE status IN ('Success', 'Failed') AND webhook IS NOT NULL AND webhook_status IS NULL ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetInt64(0));
        return ids;
    }

    public async Task<int> CountActiveAsync(string keyTag, CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM jobs WHERE status IN ('Queued', 'Running') AND key_tag = $key";
        command.Parameters.AddWithValue("$key", keyTag);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Marks the job running and counts the attempt (a job that keeps killing the process is not retried forever).</summary>
    public Task MarkRunningAsync(long id, CancellationToken ct = default) =>
        UpdateAsync("UPDATE jobs SET status = 'Running', attempts = attempts + 1 WHERE id = $id", id, ct);

    /// <summary>Back to the queue after a graceful shutdown interrupted it (that attempt does not count).</summary>
    public Task RequeueAsync(long id, CancellationToken ct = default) =>
        UpdateAsync("UPDATE jobs SET status = 'Queued', attempts = MAX(attempts - 1, 0) WHERE id = $id", id, ct);

    public Task SetStatusAsync(long id, JobStatus status, CancellationToken ct = default) =>
        UpdateAsync("UPDATE jobs SET status = $s WHERE id = $id", id, ct, ("$s", status.ToString()));

    /// <summary>Success, with what the engine reported about the run (scheduler, size, prompt drawn, model, LoRAs, notes).</summary>
    public Task CompleteAsync(long id, double generationTime, GeneratedImages result, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        return UpdateAsync("""
            UPDATE jobs SET status = 'Success', generation_time = $t, finished_at = $f, nsfw = $n, scheduler = $s, width = $w, height = $h,
              prompt_used = $p, engine_model = $m, synthesized_loras = $l, engine_notes = $o
            WHERE id = $id
            """, id, ct, ("$p", (object?)result.Prompt ?? DBNull.Value),
            ("$t", generationTime), ("$f", Format(now)), ("$n", result.NsfwContentDetected ? 1 : 0), ("$s", (object?)result.Scheduler ?? DBNull.Value),
            ("$w", (object?)result.Width ?? DBNull.Value), ("$h", (object?)result.Height ?? DBNull.Value),
            ("$m", (object?)result.EngineModel ?? DBNull.Value),
            ("$l", result.SynthesizedLoras is { Count: > 0 } l ? (object)JsonSerializer.Serialize(l.ToList()) : DBNull.Value),
            ("$o", result.Notes is { Count: > 0 } o ? (object)JsonSerializer.Serialize(o.ToList()) : DBNull.Value));
    }

    public Task FailAsync(long id, string message, DateTimeOffset now, CancellationToken ct = default) =>
        UpdateAsync("UPDATE jobs SET status = 'Failed', message = $m, finished_at = $f WHERE id = $id", id, ct,
            ("$m", message), ("$f", Format(now)));

    public Task SetWebhookStatusAsync(long id, string status, CancellationToken ct = default) =>
        UpdateAsync("UPDATE jobs SET webhook_status = $w WHERE id = $id", id, ct, ("$w", status));

    /// <summary>When the model was last used, and when a pending reload completes.</summary>
    public async Task<(DateTimeOffset? LastUsed, DateTimeOffset? ReloadReadyAt)> GetModelStateAsync(string modelId, CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_used, reload_ready_at FROM model_state WHERE model_id = $m";
        command.Parameters.AddWithValue("$m", modelId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return (null, null);
        return (Parse(reader.GetString(0)), reader.IsDBNull(1) ? null : Parse(reader.GetString(1)));
    }

    /// <summary>Every model id used so far, with its state (for the idle sweep).</summary>
    public async Task<IReadOnlyList<(string ModelId, DateTimeOffset LastUsed, DateTimeOffset? ReloadReadyAt)>> AllModelStatesAsync(CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT model_id, last_used, reload_ready_at FROM model_state";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var states = new List<(string, DateTimeOffset, DateTimeOffset?)>();
        while (await reader.ReadAsync(ct))
            states.Add((reader.GetString(0), Parse(reader.GetString(1)), reader.IsDBNull(2) ? null : Parse(reader.GetString(2))));
        return states;
    }

    public async Task SetModelStateAsync(string modelId, DateTimeOffset lastUsed, DateTimeOffset? reloadReadyAt, CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO model_state (model_id, last_used, reload_ready_at) VALUES ($m, $u, $r)
            ON CONFLICT(model_id) DO UPDATE SET last_used = $u, reload_ready_at = $r
            """;
        command.Parameters.AddWithValue("$m", modelId);
        command.Parameters.AddWithValue("$u", Format(lastUsed));
        command.Parameters.AddWithValue("$r", reloadReadyAt is { } r ? Format(r) : DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);

        // Every distinct model_id used to add a row for ever: keep the most recently used ones only (a forgotten id
        // counts as never used, like any new id).
        await using var trim = connection.CreateCommand();
        trim.CommandText = """
            DELETE FROM model_state WHERE model_id IN
              (SELECT model_id FROM model_state ORDER BY last_used DESC LIMIT -1 OFFSET $max)
            """;
        trim.Parameters.AddWithValue("$max", _maxModelStates);
        await trim.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Rows in model_state (tests check the bound).</summary>
    public async Task<long> CountModelStatesAsync(CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM model_state";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task UpdateAsync(string sql, long id, CancellationToken ct, params (string Name, object Value)[] values)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        foreach (var (name, value) in values)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(ct);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string type)
    {
        using var info = connection.CreateCommand();
        info.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $c";
        info.Parameters.AddWithValue("$c", column);
        if (Convert.ToInt64(info.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
    }

    private static JobRecord Read(SqliteDataReader r) => new(
        Id: r.GetInt64(r.GetOrdinal("id")),
        KeyTag: r.GetString(r.GetOrdinal("key_tag")),
        Version: r.GetString(r.GetOrdinal("version")),
        Operation: r.GetString(r.GetOrdinal("operation")),
        Status: Enum.Parse<JobStatus>(r.GetString(r.GetOrdinal("status"))),
        RequestJson: r.GetString(r.GetOrdinal("request_json")),
        BaseUrl: r.GetString(r.GetOrdinal("base_url")),
        Seed: r.IsDBNull(r.GetOrdinal("seed")) ? r.GetInt64(r.GetOrdinal("id")) : r.GetInt64(r.GetOrdinal("seed")),
        CreatedAt: Parse(r.GetString(r.GetOrdinal("created_at"))),
        FinishedAt: NullableString(r, "finished_at") is { } f ? Parse(f) : null,
        GenerationTime: r.IsDBNull(r.GetOrdinal("generation_time")) ? null : r.GetDouble(r.GetOrdinal("generation_time")),
        OutputFiles: JsonSerializer.Deserialize<List<string>>(r.GetString(r.GetOrdinal("output_files"))) ?? [],
        Message: NullableString(r, "message"),
        Webhook: NullableString(r, "webhook"),
        TrackId: NullableString(r, "track_id"),
        Temp: r.GetInt64(r.GetOrdinal("temp")) != 0,
        Base64: r.GetInt64(r.GetOrdinal("base64")) != 0,
        EtaSeconds: r.GetDouble(r.GetOrdinal("eta")),
        WebhookStatus: NullableString(r, "webhook_status"),
        Attempts: (int)r.GetInt64(r.GetOrdinal("attempts")),
        NsfwContentDetected: r.GetInt64(r.GetOrdinal("nsfw")) != 0,
        Scheduler: NullableString(r, "scheduler"),
        Width: NullableInt(r, "width"),
        Height: NullableInt(r, "height"),
        PromptUsed: NullableString(r, "prompt_used"),
        EngineModel: NullableString(r, "engine_model"),
        SynthesizedLoras: NullableString(r, "synthesized_loras") is { } l ? JsonSerializer.Deserialize<List<string>>(l) : null,
        EngineNotes: NullableString(r, "engine_notes") is { } o ? JsonSerializer.Deserialize<List<string>>(o) : null,
        Warnings: NullableString(r, "warnings") is { } w ? ReadWarnings(w) : null);

    /// <summary>The warnings as a JSON array of the spec's <c>RuleWarning</c> (what <c>meta.warnings</c> shows), written
    /// and read by its generated code.</summary>
    private static string WarningsJson(IReadOnlyList<SdApi.Bindings.Validation.RuleViolation>? warnings)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var w in warnings ?? [])
                new SdApi.Bindings.RuleWarning { Field = w.Field, Rule = w.RuleId, Message = w.Message }.WriteJson(writer);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static List<SdApi.Bindings.RuleWarning> ReadWarnings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => SdApi.Bindings.RuleWarning.FromJson(e.GetRawText()))];
    }

    private static int? NullableInt(SqliteDataReader r, string column)
    {
        var ordinal = r.GetOrdinal(column);
        return r.IsDBNull(ordinal) ? null : (int)r.GetInt64(ordinal);
    }

    private static string? NullableString(SqliteDataReader r, string column)
    {
        var ordinal = r.GetOrdinal(column);
        return r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
