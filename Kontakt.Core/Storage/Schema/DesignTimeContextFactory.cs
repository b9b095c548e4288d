using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kontakt.Core.Storage.Schema;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running service or database.</summary>
internal sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<KontaktDbContext>
{
    public KontaktDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<KontaktDbContext>()
            .UseNpgsql("Host=localhost;Database=kontakt_design_time")
            .Options);
}
