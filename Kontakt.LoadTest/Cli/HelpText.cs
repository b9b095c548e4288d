namespace Kontakt.LoadTest.Cli;

/// <summary>The <c>--help</c> text.</summary>
public static class HelpText
{
    public const string Text = """
        Kontakt.LoadTest: drives the Kontakt ingest API with generated patient records, measures
        throughput and latency, writes a report, then verifies every acknowledged record was stored.

        Usage:
          dotnet run -c Release --project Kontakt.LoadTest -- [options]

        Load:
          --target URL              Base URL of the API. Default http://127.0.0.1:5000
          --api-key KEY             X-Api-Key of an ingest key. Default: $KONTAKT_API_KEY, else (with
                                    the embedded default, no --db) <data dir>/keys/ingest.key
          --analyst-api-key KEY     X-Api-Key for the async mode's GET /v1/patients checks. Default:
                                    $KONTAKT_ANALYST_API_KEY, else (embedded default)
                                    <data dir>/keys/analyst.key, else the --api-key key
          --records N               Records to send. Default 100000
          --mode single|batch|async single: POST /v1/records, one record per request, ack = 201.
                                    batch:  POST /v1/records/batch, --batch-size records, ack = 201.
                                    async:  POST /v1/records with Prefer: respond-async, ack = 202.
                                    Default single.
          --batch-size N            Records per batch request, 1-10000. Default 1000
          --concurrency N           Closed model: N workers sending back to back.
                                    Open model: at most N requests in flight (and connections).
                                    Default 128
          --rate N                  Open model: N records/s at fixed intended send times. Latency is
                                    measured from the INTENDED send time, so a stalled server shows
                                    up as latency instead of being hidden (coordinated omission).
                                    Without --rate the closed model runs.
          --client http|raw         http: HttpClient, as real clients send. raw: HTTP/1.1 over plain
                                    keep-alive sockets (one per request in flight), parsed minimally;
                                    less of the machine's CPU goes to the generator. http:// only.
                                    Default http.

        Data (deterministic for a given seed):
          --returning F             Share of records from an identity sent earlier in the run; 30 %
                                    of those re-send the name in other case or spacing. Default 0.2
          --color-changes F         Share of returning records that carry a new color. Default 0.1
          --seed N                  Random seed. Default 42

        Verification (after the run; any FAIL makes the exit code 1):
          --db CONNSTRING           PostgreSQL connection string of the service's database.
                                    Default: the embedded cluster (see the next two options).
          --embedded-data-dir DIR   Data directory of the service's embedded PostgreSQL.
                                    Default /var/lib/kontakt as root, else ~/.local/share/kontakt
          --embedded-port N         Port of the embedded PostgreSQL. Default 55432
          --verify-sample N         async mode: records sampled (spread over the run) for the time
                                    from 202 until visible in the database and the API. Default 1000
          --settle-timeout S        Seconds to wait after the run for acknowledged records to become
                                    queryable. Default 60
          --warmup S                Seconds, before the clock starts, of GET /health/live on every
                                    connection: opens them and compiles the generator's own HTTP code,
                                    so neither shows in the figures. Stores nothing. 0 for none. Default 2
          --skip-verify             Do not touch the database; checks are reported as SKIP.

        Scenario:
          --scenario kontakt-1m     1,000,000 records in single mode with 512 clients (unless
                                    --records/--mode/--concurrency say otherwise); PASS needs all
                                    acknowledged within 60 s and all queryable within 5 s of the
                                    last acknowledgement.

        Output:
          --report-dir DIR          Where report.json, report.md and report.html go.
                                    Default Kontakt.LoadTest/reports/<UTC timestamp>-<mode>/
          --no-live                 No live table; a progress line every 5 s instead (also the
                                    behaviour when output is redirected).
          --dry-run                 Generate the data, print a sample and the generation time, send
                                    nothing.
          --help                    This text.

        Baselines (run in the same session as a load test, to read its figures as ratios):
          baseline-http [--urls URL]
                                    Serve a no-op ASP.NET POST /v1/records (reads the body, answers 201,
                                    no database) for wrk: the HTTP ceiling. Default http://127.0.0.1:5100
          baseline-db --db CONNSTRING --records N --batch-size N --writers N [--seed N]
                                    Run the service's batch transaction directly, no HTTP: the database
                                    ceiling. Use a scratch database (it is migrated first). Give each run
                                    its own --seed (default 42) so it creates new people.

        Snapshot benchmark:
          snapshot --target URL [--as-of TIME]
                                    Stream the public snapshot through a counting reader, compare rows
                                    and SHA-256 with the manifest, report rows/s and the API's resident
                                    memory before and after (from /metrics). Sends an analyst key:
                                    $KONTAKT_ANALYST_API_KEY, else $KONTAKT_API_KEY, else the embedded
                                    default's keys/analyst.key.

        HL7 v2 over MLLP benchmark:
          mllp [--host H] [--port N] [--connections N] [--rate N] [--seconds S] [--warmup S]
                                    ADT^A01 messages (a new person each) over --connections MLLP
                                    connections (default 8), each waiting for its ACK before the next.
                                    --rate N: open model, N messages/s in total, latency from the intended
                                    send time; without it, as fast as the ACKs come (the most messages/s).
                                    Reports AA count, messages/s and ACK latency p50/p90/p99/p99.9/max.
                                    Defaults: 127.0.0.1:2575, 20 s measured after 3 s of warm-up.

        503 answers are counted; the same records (same recordId) are retried after Retry-After
        (at most 2 s plus up to 20 % random spread). 500/504 and connection failures are retried up to 3 times, which is safe
        because record IDs make retries idempotent. Latency is per request, from first send (or
        intended send time) to acknowledgement, retries included.

        Exit codes: 0 all checks passed; 1 a check or the scenario failed; 2 bad command line;
        3 could not run (target not ready, database unreachable).
        """;
}
