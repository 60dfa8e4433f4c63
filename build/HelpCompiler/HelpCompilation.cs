using System.Text;
using System.Xml;
using CloudGateway.Build.Help.Maml;
using CloudGateway.Build.Help.Pages;

namespace CloudGateway.Build.Help;

/// <summary>The outcome of compiling a folder of pages: the help files written, or every problem found.</summary>
internal sealed record HelpCompilationResult(IReadOnlyList<string> Written, IReadOnlyList<HelpProblem> Problems);

/// <summary>
/// Compiles every command page of a folder into the MAML files their front matter names. All pages are read
/// before anything is written: a problem in any page writes no file, so the module never ships half its help.
/// </summary>
internal static class HelpCompilation
{
    public static HelpCompilationResult Compile(string pagesFolder, string outputFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(pagesFolder);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        if (!Directory.Exists(pagesFolder))
        {
            return new HelpCompilationResult([], [new HelpProblem(pagesFolder, 1, "The folder of help pages does not exist.")]);
        }

        var pages = Directory.GetFiles(pagesFolder, "*.md").Order(StringComparer.Ordinal).ToList();
        if (pages.Count == 0)
        {
            return new HelpCompilationResult([], [new HelpProblem(pagesFolder, 1, "The folder holds no help page (*.md).")]);
        }

        var commands = new List<CommandHelp>();
        var problems = new List<HelpProblem>();
        foreach (var page in pages)
        {
            var (help, pageProblems) = CommandPageReader.Read(page, File.ReadAllText(page));
            problems.AddRange(pageProblems);
            if (help is not null)
            {
                commands.Add(help);
            }
        }

        if (problems.Count > 0)
        {
            return new HelpCompilationResult([], problems);
        }

        Directory.CreateDirectory(outputFolder);
        var written = new List<string>();
        foreach (var file in commands.GroupBy(c => c.HelpFile, StringComparer.Ordinal))
        {
            var path = Path.Combine(outputFolder, file.Key);
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
            using (var writer = XmlWriter.Create(path, settings))
            {
                MamlWriter.Write(file).Save(writer);
            }

            written.Add(path);
        }

        return new HelpCompilationResult(written, []);
    }
}
