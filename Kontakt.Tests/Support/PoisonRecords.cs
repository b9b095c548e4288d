using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>
/// Makes the database refuse, at commit, every record whose name starts with <see cref="NamePrefix"/>
/// (SQLSTATE 22023, a data exception: a refusal attributable to that record alone), the way a
/// constraint added by an operator or a value PostgreSQL cannot store would.
/// </summary>
public static class PoisonRecords
{
    public const string NamePrefix = "Poison Pill ";

    private const string Install = """
        CREATE OR REPLACE FUNCTION public.refuse_poison_pills() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.name LIKE 'Poison Pill %' THEN
                RAISE EXCEPTION 'refused by test trigger' USING ERRCODE = '22023';
            END IF;
            RETURN NEW;
        END $$;
        DROP TRIGGER IF EXISTS refuse_poison_pills ON phi.records;
        CREATE TRIGGER refuse_poison_pills BEFORE INSERT ON phi.records FOR EACH ROW EXECUTE FUNCTION public.refuse_poison_pills();
        """;

    public static async Task InstallAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Install, connection);
        await command.ExecuteNonQueryAsync();
    }
}
