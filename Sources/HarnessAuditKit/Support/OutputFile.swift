#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an output file atomically: a temporary file beside it, flushed, then renamed over
/// the target, so a reader (CI, a dashboard) never sees half a report.
public enum OutputFile {
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(HarnessAuditError) {
        let file = try AtomicFile(path: path, mode: mode)
        file.write(text)
        try file.commit()
    }

    public static func write(bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(HarnessAuditError) {
        let file = try AtomicFile(path: path, mode: mode)
        bytes.withUnsafeBytes { file.write($0) }
        try file.commit()
    }

    /// Whether anything exists at `path` (a broken symbolic link counts).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` names an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The directory part of a path: "" for a bare name, "/" for a file at the root (like `dirname`, but "" for ".").
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    /// Creates a directory and any missing parents (`mkdir -p`); an existing directory is fine.
    public static func createDirectory(_ path: String) throws(HarnessAuditError) {
        if path.isEmpty || isDirectory(path) { return }
        let parent = directory(of: path)
        if !parent.isEmpty && parent != path { try createDirectory(parent) }
        if mkdir(path, 0o755) != 0 && !(errno == EEXIST && isDirectory(path)) {
            throw .outputFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads a whole file as bytes.
    public static func readBytes(_ path: String) throws(HarnessAuditError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadableInput(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadableInput(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }
}
