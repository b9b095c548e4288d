namespace Kontakt.Core.Records;

/// <summary>A record that passed validation, ready to be queued and stored.</summary>
/// <param name="Client">Whose record it is (<see cref="RecordClients"/>): the recordId is unique per client. One string shared by a request's records.</param>
/// <param name="RecordId">The client's key, or one the server assigned.</param>
/// <param name="Name">The name exactly as received (kept in the audit store).</param>
/// <param name="NameKey">The normalized name that, with <paramref name="Dob"/>, identifies the person.</param>
/// <param name="Dob">Date of birth.</param>
/// <param name="FavoriteColor">The color exactly as received (kept in the audit store); null when the record carried none.</param>
/// <param name="CanonicalColor">The color's canonical vocabulary form (what the public store holds); null when the record carried none.</param>
/// <param name="ReceivedAt">When the API received the record (UTC, microsecond precision).</param>
public sealed record ValidatedRecord(
    string Client,
    string RecordId,
    string Name,
    string NameKey,
    DateOnly Dob,
    string? FavoriteColor,
    string? CanonicalColor,
    DateTimeOffset ReceivedAt);
