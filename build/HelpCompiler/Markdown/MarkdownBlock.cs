namespace CloudGateway.Build.Help.Markdown;

/// <summary>One block of a markdown page, with the 1-based line it starts on, so a problem can name the line.</summary>
internal abstract record MarkdownBlock(int Line);

/// <summary>A <c>#</c> heading: its level (1 to 6) and its text.</summary>
internal sealed record Heading(int Line, int Level, string Text) : MarkdownBlock(Line);

/// <summary>A fenced code block: its info string (<c>powershell</c>, <c>yaml</c>, or empty) and its lines as written.</summary>
internal sealed record CodeFence(int Line, string Info, string Code) : MarkdownBlock(Line);

/// <summary>A paragraph, or one item of a list (with its marker), its lines joined by single spaces.</summary>
internal sealed record Paragraph(int Line, string Text) : MarkdownBlock(Line);

/// <summary>A page: the key/value lines of its front matter and its blocks in order.</summary>
internal sealed record MarkdownDocument(IReadOnlyDictionary<string, string> FrontMatter, IReadOnlyList<MarkdownBlock> Blocks);
