namespace Kontakt.LoadTest.Cli;

/// <summary>How records are sent.</summary>
public enum LoadMode
{
    /// <summary><c>POST /v1/records</c>, one record per request, acknowledged by 201 after commit.</summary>
    Single,

    /// <summary><c>POST /v1/records/batch</c>, <c>--batch-size</c> records per request, acknowledged by 201.</summary>
    Batch,

    /// <summary><c>POST /v1/records</c> with <c>Prefer: respond-async</c>, acknowledged by 202 once queued.</summary>
    Async,
}
