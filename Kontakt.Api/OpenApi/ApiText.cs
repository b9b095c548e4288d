namespace Kontakt.Api.OpenApi;

/// <summary>Longer operation descriptions for the OpenAPI document (Markdown).</summary>
internal static class ApiText
{
    public const string StatusMeanings = """

        **What each status means**

        | status | meaning |
        |---|---|
        | 201 Created | **Durable.** Every record is committed in PostgreSQL; the body has the patient IDs. |
        | 202 Accepted | Only with `Prefer: respond-async`. **Queued, not yet durable**: the service will commit it within milliseconds and drains its queue on a clean shutdown, but a crash (power loss, kill -9) before the commit loses it. Use 201 when you need certainty. |
        | 400 Bad Request | Invalid body; `errors` names every field and why (a string far longer than its field allows is refused while it is read, naming the field as too long). **Nothing was stored.** |
        | 409 Conflict | A `recordId` was already stored by this API key for a *different* record (another person or color); `conflictingIndexes` lists them. **Those were not stored**, and no patient ID is given out for them; the other records of the request were stored. |
        | 413 / 415 | Body too large / not `application/json`. **Nothing was stored.** |
        | 500 Internal Server Error | The database refused records even one at a time (a data error); `failedIndexes` lists them. Those were not stored; the others of the request were. Retrying with the same `recordId`s (listed in `recordIds`) is safe. |
        | 503 Service Unavailable | The queue is full, too many batch bodies are being read at once (`Kontakt:Ingest:MaxConcurrentBatchBodies`), or the service is shutting down: **nothing was stored**. Or, with `unavailableIndexes`: the database kept failing (not because of the records) until the writer gave up (`Kontakt:Ingest:MaxWriteAttempts`); those records **may or may not be stored**. Either way, retry after `Retry-After` seconds with the same `recordId`s, which is safe. |
        | 504 Gateway Timeout | Accepted, but the commit was not confirmed in time (database unavailable). **May or may not be stored**: retry with the same `recordId`s (listed in `recordIds`), which is safe. |

        **Identity.** The same person gets the same `patientId`: the name is normalized (Unicode NFKC,
        trimmed, inner whitespace collapsed to one space, case-folded with the invariant culture) and
        paired with the date of birth. Accents are kept: "José" and "Jose" are different people,
        because merging two real people is worse than splitting one. Patient IDs are random (UUID v4),
        never derived from name or date of birth.

        **Idempotency.** A `recordId` is unique per client (API key): two keys may use the same one for
        different records. A record posted again by the same key with a `recordId` it already stored, with
        the same person and color, is not stored twice: the answer is the original result (same `patientId`,
        `newPatient`, `receivedAt`). With different content it is a 409 and nothing is stored — never another
        record's patient ID.
        """;

    public const string PostRecord = """
        Validates the record, queues it and answers **201 after it is committed** with the person's
        persistent `patientId`. With the header `Prefer: respond-async` it answers **202** as soon as
        the record is queued.

        Fields: `name` (required, 1–200 characters after trimming and at most 500 as sent, no control characters, Unicode noncharacters or bidirectional controls, at most 500 once NFKC-normalized; invisible format characters such as U+200B do not count for identity),
        `dob` (required, `YYYY-MM-DD`, 1900-01-01 to today UTC), `favoriteColor` (optional: missing
        or null is no color; otherwise a name listed by `GET /v1/colors` — CSS or xkcd, case and spacing
        ignored — or `#rgb`/`#rrggbb`, at most 64 characters as sent; the public store holds its canonical
        form, the audit store what was sent), `recordId` (optional, 1–128 of
        `A-Z a-z 0-9 . _ : -`; unique per API key). Unknown properties are rejected.
        """ + StatusMeanings;

    public const string PostBatch = """
        A JSON array of 1 to 10,000 records (same fields as `POST /v1/records`). **201 after every
        record is committed**, with one result per record in request order. If any record is invalid
        the answer is **400** naming each invalid item by index and field (`[3].dob`), and **nothing
        of the batch is stored**. Records of the same patient apply in array order: the last one that carries a
        color sets the public color.
        """ + StatusMeanings;

    public const string GetRecordStatus = """
        What became of one of this API key's records, by its recordId: `queued` (accepted, not yet committed), `committed`
        (with `patientId`, `newPatient` and `committedAt`) or `failed` (accepted with 202 and never stored;
        `error` gives a code — `conflict` or `refused` — the field when known, and a reason that never
        quotes a value). `queued` is known only to the instance that accepted the record; `committed`
        and `failed` are known to every instance. **404** when this key never sent a record with this ID —
        another key's record with the same ID answers 404 as well, exactly like one never seen.
        """;
}
