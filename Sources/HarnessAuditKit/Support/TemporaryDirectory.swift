#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private temporary directory, removed with everything in it.
struct TemporaryDirectory {
    let path: String

    /// Where new directories go: `$TMPDIR`, else `/tmp`.
    static var base: String { getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp" }

    init() throws(HarnessAuditError) {
        let base = TemporaryDirectory.base
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("harness-audit-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw .outputFailed(path: base, reason: "cannot create a temporary directory: " + String(cString: strerror(errno)))
        }
        path = String(cString: created)
    }

    func remove() {
        guard let handle = opendir(path) else { return }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names { unlink(path + "/" + name) }
        rmdir(path)
    }
}
