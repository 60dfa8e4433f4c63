using System.Globalization;
using CloudGateway;
using CloudGateway.Model;
using CloudGateway.Storage;

// Usage: StoreWriter <database> <writer id> <changes | loop>
// Adds <changes> gateways named w<id>-<n> to the database, one transaction each, and exits 0; prints any failure and exits 1.
// With "loop" it prints "ready" once the database is open, then adds gateways until it is killed, printing each
// gateway's name on its own line after its transaction committed (the crash-safety test kills it with SIGKILL).
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: StoreWriter <database> <writer id> <changes | loop>");
    return 2;
}

var writer = args[1];
var loop = args[2] == "loop";
var changes = loop ? int.MaxValue : int.Parse(args[2], CultureInfo.InvariantCulture);
try
{
    using var store = ConfigurationDatabase.Open(args[0]);
    if (loop)
    {
        Console.Out.Write("ready\n");
        Console.Out.Flush();
    }

    for (var i = 0; i < changes; i++)
    {
        var name = $"w{writer}-{i:D4}";
        store.AddGateway(new Gateway { Name = name, Address = $"w{writer}.gateways.example.net", Port = 1 + (i % 65535) });
        if (loop)
        {
            Console.Out.Write(name + "\n");
            Console.Out.Flush();
        }
    }

    return 0;
}
catch (GatewayException exception)
{
    Console.Error.WriteLine($"{exception.Code}: {exception.Message}");
    return 1;
}
