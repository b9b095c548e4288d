using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>A fresh, migrated database for one test class, with helpers to look inside it.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    /// <summary>The owner's (superuser's) connection string: tests look inside with it.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The connection string of this database's runtime role, the one the service works as.</summary>
    public string RuntimeConnectionString => TestDatabaseServer.RuntimeConnectionString(ConnectionString);

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabaseServer.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("The query returned no row.");
        }
        return reader.GetFieldValue<T>(0);
    }

    public Task<long> CountAsync(string table) => ScalarAsync<long>($"SELECT count(*) FROM {table}");

    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
