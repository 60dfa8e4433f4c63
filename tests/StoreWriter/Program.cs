using System.Globalization;
using CloudGateway;
using CloudGateway.Model;
using CloudGateway.Storage;

// Usage: StoreWriter <database> <writer id> <changes>
// Adds <changes> gateways named w<id>-<n> to the database, one transaction each, and exits 0; prints any failure and exits 1.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: StoreWriter <database> <writer id> <changes>");
    return 2;
}

var writer = args[1];
var changes = int.Parse(args[2], CultureInfo.InvariantCulture);
try
{
    using var store = ConfigurationDatabase.Open(args[0]);
    for (var i = 0; i < changes; i++)
    {
        store.AddGateway(new Gateway { Name = $"w{writer}-{i:D4}", Address = $"w{writer}.gateways.example.net", Port = 1 + i });
    }

    return 0;
}
catch (GatewayException exception)
{
    Console.Error.WriteLine($"{exception.Code}: {exception.Message}");
    return 1;
}
