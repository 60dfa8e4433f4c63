using System.Buffers.Binary;
using System.Text;

namespace CloudGateway.Storage.Sqlite;

/// <summary>
/// Looks at a database file's 100-byte SQLite header with plain file reads, so that a file that is not ours,
/// or visibly damaged, is refused before SQLite opens it and could create or change anything. It does so only
/// before this process's first SQLite connection to the file: on POSIX, closing any descriptor of a file drops
/// every lock the process holds on it, and another process could then delete the WAL under our connections.
/// </summary>
internal static class DatabaseFileInspector
{
    private const int HeaderLength = 100;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");
    private static readonly HashSet<string> PassedFiles = new(StringComparer.Ordinal);

    /// <summary>
    /// Throws NotAConfigurationDatabase or DatabaseCorrupt when the file's header rules it out; does nothing when
    /// the file already passed in this process, since SQLite may hold it open (SQLite's own checks still run).
    /// </summary>
    public static void InspectBeforeFirstConnection(string path, int applicationId)
    {
        var file = RealPath(path);
        lock (PassedFiles)
        {
            if (PassedFiles.Contains(file))
            {
                return;
            }

            Inspect(file, applicationId);
            PassedFiles.Add(file);
        }
    }

    /// <summary>The file a path finally names, following symbolic links, so two spellings of one file count once.</summary>
    private static string RealPath(string path)
    {
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? path : Path.GetFullPath(target.FullName);
    }

    private static void Inspect(string path, int applicationId)
    {
        for (var attempt = 1; ; attempt++)
        {
            var truncated = ReadHeader(path, applicationId);
            if (!truncated)
            {
                return;
            }

            // A checkpoint in another process may write page 1 before it grows the file; look again briefly.
            if (attempt == 3)
            {
                throw new GatewayException(GatewayErrorCode.DatabaseCorrupt, $"The configuration database '{path}' is damaged: the file is shorter than its header says (truncated). It was left unchanged; restore it from a backup or an export.", path);
            }

            Thread.Sleep(100);
        }
    }

    private static bool ReadHeader(string path, int applicationId)
    {
        var header = new byte[HeaderLength];
        long length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            length = stream.Length;
            var read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
            if (read < HeaderLength || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            {
                throw new GatewayException(GatewayErrorCode.NotAConfigurationDatabase, $"'{path}' is not a CloudGateway configuration database: it is not a SQLite database file. It was left unchanged.", path);
            }
        }

        if (BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(68)) != applicationId)
        {
            throw new GatewayException(GatewayErrorCode.NotAConfigurationDatabase, $"'{path}' is not a CloudGateway configuration database: it is a SQLite database of another application. It was left unchanged.", path);
        }

        int pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        pageSize = pageSize == 1 ? 65536 : pageSize;
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        {
            throw new GatewayException(GatewayErrorCode.DatabaseCorrupt, $"The configuration database '{path}' is damaged: its header names an impossible page size. It was left unchanged.", path);
        }

        var fileChangeCounter = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24));
        var pageCount = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var versionValidFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        return fileChangeCounter == versionValidFor && (long)pageCount * pageSize > length;
    }
}
