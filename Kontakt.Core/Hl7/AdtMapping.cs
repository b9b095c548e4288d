using Kontakt.Core.Records;

namespace Kontakt.Core.Hl7;

/// <summary>
/// What an ADT message means for Kontakt, before the record is validated: the record it carries, or why
/// it carries none (<see cref="Code"/> AE for content errors, AR for what Kontakt does not accept).
/// </summary>
/// <param name="Code">AA when <see cref="Request"/> is set; otherwise AE or AR.</param>
/// <param name="Request">The record, with its recordId (<see cref="Hl7RecordId"/>); null unless <see cref="Code"/> is AA.</param>
/// <param name="Errors">Why there is no record; empty when there is.</param>
/// <param name="ColorLocation">Where the favorite color came from (which OBX), to name it in an error.</param>
public sealed record AdtMapping(Hl7AckCode Code, RecordRequest? Request, IReadOnlyList<Hl7Error> Errors, Hl7Location? ColorLocation = null);

/// <summary>
/// An ADT message mapped and validated: a <see cref="ValidatedRecord"/> ready for the
/// <see cref="Ingest.IngestQueue"/>, or the errors to answer with.
/// </summary>
/// <param name="Code">AA when <see cref="Record"/> is set; otherwise AE or AR.</param>
/// <param name="Record">The validated record; null unless <see cref="Code"/> is AA.</param>
/// <param name="Errors">Why there is no record; empty when there is.</param>
public sealed record AdtRecord(Hl7AckCode Code, ValidatedRecord? Record, IReadOnlyList<Hl7Error> Errors);
