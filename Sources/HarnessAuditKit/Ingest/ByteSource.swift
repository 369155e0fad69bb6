#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads raw bytes from a file descriptor in large chunks, hashing everything it reads
/// with SHA-256 so a source's identity costs no second pass.
final class ByteSource {
    let displayPath: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    let digest = SHA256Digest()
    private(set) var bytesRead: Int64 = 0

    /// Opens a regular file. Throws `unreadableInput` with the system's reason.
    init(path: String, displayPath: String) throws(HarnessAuditError) {
        self.displayPath = displayPath
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadableInput(path: displayPath, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unreadableInput(path: displayPath, reason: reason)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw .unreadableInput(path: displayPath, reason: "is a directory")
        }
        fd = descriptor
        ownsDescriptor = true
    }

    /// Standard input.
    init(standardInputNamed displayPath: String) {
        self.displayPath = displayPath
        fd = STDIN_FILENO
        ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Size and modification time of a regular file (nil for pipes).
    func fileInfo() -> (size: Int64, mtimeMillis: Int64)? {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        let mtime = Int64(info.st_mtimespec.tv_sec) * 1000 + Int64(info.st_mtimespec.tv_nsec) / 1_000_000
        #else
        let mtime = Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        #endif
        return (Int64(info.st_size), mtime)
    }

    /// Reads up to `capacity` bytes into `buffer`; returns 0 at end of input.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws(HarnessAuditError) -> Int {
        while true {
            let n = Glibc_read(fd, buffer, capacity)
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadableInput(path: displayPath, reason: "read failed: " + String(cString: strerror(errno)))
            }
            if n > 0 {
                digest.update(UnsafeRawBufferPointer(start: buffer, count: n))
                bytesRead += Int64(n)
            }
            return n
        }
    }
}

@inline(__always)
private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
