namespace Kontakt.Core.Storage.Schema;

/// <summary><c>phi.import_chunks</c>: an uploaded file, in order, 1 MiB per row; deleted when its job ends.</summary>
public sealed class ImportChunk
{
    /// <summary>The job the file belongs to.</summary>
    public Guid JobId { get; set; }

    /// <summary>0-based position of the chunk in the file.</summary>
    public int Seq { get; set; }

    /// <summary>The bytes.</summary>
    public required byte[] Data { get; set; }
}
