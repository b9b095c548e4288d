namespace Kontakt.Core.Imports;

/// <summary>The import formats this service knows, by stored name and by upload media type.</summary>
public sealed class ImportFormats(IEnumerable<IImportFormat> formats)
{
    private readonly IImportFormat[] _formats = formats.ToArray();

    /// <summary>The format stored with a job under <paramref name="name"/>.</summary>
    public IImportFormat? ByName(string name) =>
        _formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    /// <summary>The format uploaded as <paramref name="mediaType"/> (parameters such as charset ignored).</summary>
    public IImportFormat? ByMediaType(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType))
        {
            return null;
        }
        var bare = mediaType.Split(';', 2)[0].Trim();
        return _formats.FirstOrDefault(f => f.MediaType is not null && string.Equals(f.MediaType, bare, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The media types accepted on upload, for error messages.</summary>
    public IEnumerable<string> MediaTypes => _formats.Select(f => f.MediaType).OfType<string>();
}
