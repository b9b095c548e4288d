using Kontakt.Core.Storage.Embedded;

namespace Kontakt.Tests.Storage;

public sealed class PostgresBinariesTests
{
    [Fact]
    public void A_directory_without_the_server_programs_is_refused_with_the_package_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("kontakt-no-postgres-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => PostgresBinaries.Locate(empty.FullName));
            Assert.Contains(empty.FullName, error.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
            Assert.Contains("ConnectionStrings:Kontakt", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void The_machines_server_programs_are_found_when_nothing_is_configured()
    {
        var bin = PostgresBinaries.Locate(configured: null);
        Assert.True(File.Exists(Path.Combine(bin, "initdb")));
        Assert.True(File.Exists(Path.Combine(bin, "pg_ctl")));
    }
}
