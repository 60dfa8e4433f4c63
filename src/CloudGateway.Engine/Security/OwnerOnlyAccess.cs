using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace CloudGateway.Security;

/// <summary>
/// Creates files and folders only their owner can read (mode 0600 and 0700 on Linux and macOS; on Windows an access
/// list of the owner, SYSTEM and Administrators, not inherited), and tells whether an existing one is open to others.
/// Works by path only: it never opens a database file, whose SQLite locks closing another descriptor would drop.
/// </summary>
internal static class OwnerOnlyAccess
{
    /// <summary>Read and write for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Read, write and search for the owner only.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OthersBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="folder"/> and any missing parent owner-only; folders that exist are left as they are.</summary>
    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        // Parents first, each made here owner-only (Directory.CreateDirectory gives the mode to the last folder only).
        if (Path.GetDirectoryName(Path.GetFullPath(folder)) is { } parent)
        {
            CreateFolder(parent);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            new DirectoryInfo(folder).SetAccessControl(OwnerOnlyFolder());
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    /// <summary>Creates the empty file <paramref name="path"/> owner-only; IOException when it exists.</summary>
    public static void CreateEmptyFile(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        new FileStream(path, options).Dispose();
        Restrict(path);
    }

    /// <summary>Makes the existing file <paramref name="path"/> owner-only.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            new FileInfo(path).SetAccessControl(OwnerOnlyFile());
        }
        else
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>
    /// How the existing file <paramref name="path"/> is open to others ("mode 0644", or the accounts of its access
    /// list), or null when only its owner may use it or it does not exist.
    /// </summary>
    public static string? OpenToOthers(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        if (OperatingSystem.IsWindows())
        {
            var others = OtherReaders(new FileInfo(path).GetAccessControl());
            return others.Count == 0 ? null : "readable by " + string.Join(", ", others);
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & OthersBits) == 0 ? null : "mode " + Convert.ToString((int)mode, 8).PadLeft(4, '0');
    }

    [SupportedOSPlatform("windows")]
    private static DirectorySecurity OwnerOnlyFolder()
    {
        var security = new DirectorySecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        foreach (var sid in Trusted())
        {
            security.AddAccessRule(new FileSystemAccessRule(sid, FileSystemRights.FullControl,
                InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit, PropagationFlags.None, AccessControlType.Allow));
        }

        return security;
    }

    [SupportedOSPlatform("windows")]
    private static FileSecurity OwnerOnlyFile()
    {
        var security = new FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        foreach (var sid in Trusted())
        {
            security.AddAccessRule(new FileSystemAccessRule(sid, FileSystemRights.FullControl, AccessControlType.Allow));
        }

        return security;
    }

    [SupportedOSPlatform("windows")]
    private static List<string> OtherReaders(FileSecurity security)
    {
        var trusted = Trusted().Select(sid => sid.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return security.GetAccessRules(includeExplicit: true, includeInherited: true, typeof(SecurityIdentifier))
            .OfType<FileSystemAccessRule>()
            .Where(rule => rule.AccessControlType == AccessControlType.Allow
                && (rule.FileSystemRights & (FileSystemRights.ReadData | FileSystemRights.Read)) != 0
                && !trusted.Contains(rule.IdentityReference.Value))
            .Select(rule => Describe((SecurityIdentifier)rule.IdentityReference))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    [SupportedOSPlatform("windows")]
    private static string Describe(SecurityIdentifier sid)
    {
        try
        {
            return sid.Translate(typeof(NTAccount)).Value;
        }
        catch (IdentityNotMappedException)
        {
            return sid.Value;
        }
    }

    [SupportedOSPlatform("windows")]
    private static SecurityIdentifier[] Trusted()
    {
        using var identity = WindowsIdentity.GetCurrent();
        return [identity.User!, new SecurityIdentifier(WellKnownSidType.LocalSystemSid, null), new SecurityIdentifier(WellKnownSidType.BuiltinAdministratorsSid, null)];
    }
}
