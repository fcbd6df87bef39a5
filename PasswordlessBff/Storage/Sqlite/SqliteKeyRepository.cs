using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace PasswordlessBff.Storage.Sqlite;

// Data Protection keys live in the same database, so binding cookies survive restarts.
public sealed class SqliteKeyRepository(SqliteDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => database.Run(connection =>
    {
        using var command = connection.Command("SELECT xml FROM data_protection_keys");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    });

    public void StoreElement(XElement element, string friendlyName) => database.Run(connection =>
    {
        using var command = connection.Command(
            "INSERT OR REPLACE INTO data_protection_keys (name, xml) VALUES ($name, $xml)",
            ("$name", friendlyName), ("$xml", element.ToString(SaveOptions.DisableFormatting)));
        return command.ExecuteNonQuery();
    });
}
