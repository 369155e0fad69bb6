#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output file written in pieces and put in place atomically: the pieces go to a temporary file
/// beside the target, which `commit` flushes and renames over it, so a reader (CI, a dashboard) never
/// sees half a report, and a large document (tens of thousands of findings) is never held whole in
/// memory. A file never committed is removed. A file that exists keeps its permissions (a private
/// findings file stays private). A target that is not a regular file (`/dev/stdout`, `/dev/null`, a
/// named pipe) is written straight to, never replaced; so is a file in a directory the user may not
/// create files in.
public final class AtomicFile {
    public let path: String
    /// The temporary file the pieces go to until `commit`; nil when the target is written straight to.
    public let temporary: String?
    private var descriptor: Int32
    /// The first write error; the writes after it do nothing, and `commit` throws it.
    private var failure: String?

    public init(path: String, mode: mode_t = 0o644) throws(HarnessAuditError) {
        self.path = path
        guard !path.isEmpty else { throw .outputFailed(path: path, reason: "no file name was given") }
        // The process's own streams by name (`/dev/stdout`, `/dev/fd/3`): their descriptor itself, so a
        // redirection's file is written as the shell opened it (truncated or appended to), never replaced.
        if let number = AtomicFile.streamDescriptor(path) {
            temporary = nil
            descriptor = fcntl(number, F_DUPFD_CLOEXEC, 0)
            guard descriptor >= 0 else { throw .outputFailed(path: path, reason: String(cString: strerror(errno))) }
            return
        }
        var info = stat()
        let target = stat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
        // Something other than a regular file or a directory (`/dev/null`, a named pipe): written straight to.
        if let target, target != S_IFREG, target != S_IFDIR {
            temporary = nil
            descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .outputFailed(path: path, reason: String(cString: strerror(errno))) }
            return
        }
        // The permissions of the file replaced, exactly (not narrowed by the umask), or of the file a symbolic
        // link there points to (the link itself is replaced, never written through): else the default.
        let kept: mode_t? = target == S_IFREG ? info.st_mode & 0o7777 : nil
        // A name no other file has: created exclusively, never through a symbolic link someone left there,
        // and distinct for each file this process has open for the same target.
        var attempt = 0
        while true {
            let candidate = path + ".tmp-\(getpid())-\(AtomicFile.serial.next())"
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kept ?? mode)
            if descriptor >= 0 {
                if let kept, fchmod(descriptor, kept) != 0 {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    unlink(candidate)
                    throw .outputFailed(path: path, reason: reason)
                }
                temporary = candidate
                self.descriptor = descriptor
                return
            }
            let error = errno
            attempt += 1
            if error == EEXIST, attempt < 100 { continue }
            // No room for a file beside it (a directory the user may not write in), but the file itself may be
            // written: it is, in place, without the atomic rename.
            if error == EACCES || error == EPERM || error == EROFS, target == S_IFREG, access(path, W_OK) == 0 {
                let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
                if descriptor >= 0 {
                    temporary = nil
                    self.descriptor = descriptor
                    return
                }
            }
            let directory = OutputFile.directory(of: path)
            throw .outputFailed(path: path, reason: "cannot create a file in \(directory.isEmpty ? "." : directory) beside it: "
                                + String(cString: strerror(error)))
        }
    }

    /// The descriptor a path names when it is one of the process's own streams: `/dev/stdout`, `/dev/stderr`,
    /// `/dev/fd/N`, `/proc/self/fd/N`.
    static func streamDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                if let number = Int32(path.dropFirst(prefix.count)), number >= 0 { return number }
            }
            return nil
        }
    }

    /// Numbers the temporary files of this process.
    private static let serial = Serial()

    private final class Serial: @unchecked Sendable {
        private var value = 0
        private var lock = pthread_mutex_t()

        init() { pthread_mutex_init(&lock, nil) }

        func next() -> Int {
            pthread_mutex_lock(&lock)
            defer { pthread_mutex_unlock(&lock) }
            value += 1
            return value
        }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            if let temporary { unlink(temporary) }
        }
    }

    /// Appends the text's UTF-8 bytes (without copying them).
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    public func write(_ buffer: UnsafeRawBufferPointer) {
        guard failure == nil, descriptor >= 0 else { return }
        failure = AtomicFile.writeAll(buffer, to: descriptor)
    }

    /// Writes all of `buffer` to a descriptor: interrupted writes are retried, and a non-blocking one (a
    /// pipe or terminal its other side opened so) is waited for. Returns why it could not, or nil.
    public static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        guard let base = buffer.baseAddress else { return nil }
        var offset = 0
        while offset < buffer.count {
            let n = systemWrite(descriptor, base + offset, buffer.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, -1)
            } else {
                return n < 0 ? String(cString: strerror(errno)) : "nothing was written"
            }
        }
        return nil
    }

    /// Flushes the file to disk and renames it over the target. On any failure (this one or an earlier
    /// write's) the temporary file is removed, the target left as it was, and the error thrown. A target
    /// written straight to is closed, and an earlier write's error thrown.
    public func commit() throws(HarnessAuditError) {
        guard descriptor >= 0 else { throw .outputFailed(path: path, reason: "the file was committed already") }
        guard let temporary else {
            if close(descriptor) != 0, failure == nil, errno != EINTR { failure = String(cString: strerror(errno)) }
            descriptor = -1
            if let failure { throw .outputFailed(path: path, reason: failure) }
            return
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        descriptor = -1
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw .outputFailed(path: path, reason: failure)
        }
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
