using System.Runtime.InteropServices;

// Every native library the engine imports (libc, libssl.so.3, libcrypto.so.3) is the system's: never one that happens
// to sit in the application's folder.
[assembly: DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
