using CloudGateway.Build.Help;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: HelpCompiler <folder of command pages> <output folder>");
    return 2;
}

var result = HelpCompilation.Compile(args[0], args[1]);
foreach (var problem in result.Problems)
{
    Console.Error.WriteLine(problem);
}

foreach (var file in result.Written)
{
    Console.WriteLine($"Help compiled into {file}");
}

return result.Problems.Count == 0 ? 0 : 1;
