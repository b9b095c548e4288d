namespace Kontakt.Tests.Support;

/// <summary>
/// <see cref="ApiFixture"/> served by Kestrel on a real loopback socket, for what the in-memory test
/// server hides: it buffers every body and adds no transport headers.
/// </summary>
public sealed class KestrelApiFixture : ApiFixture
{
    protected override void Serve(KontaktApiFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.UseKestrel(0);
        factory.StartServer();
    }
}
