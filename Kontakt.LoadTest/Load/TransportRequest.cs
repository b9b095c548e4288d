namespace Kontakt.LoadTest.Load;

/// <summary>The requests the load generator sends, each with fixed method, path and headers.</summary>
public enum TransportRequest
{
    /// <summary><c>POST /v1/records</c>.</summary>
    PostRecord,

    /// <summary><c>POST /v1/records</c> with <c>Prefer: respond-async</c>.</summary>
    PostRecordRespondAsync,

    /// <summary><c>POST /v1/records/batch</c>.</summary>
    PostBatch,

    /// <summary><c>GET /health/live</c>, the warm-up's request.</summary>
    GetLive,
}
