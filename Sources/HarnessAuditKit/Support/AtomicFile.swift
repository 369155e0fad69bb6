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
/// named pipe) is written straight to, never replaced.
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
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFDIR {
            temporary = nil
            descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .outputFailed(path: path, reason: String(cString: strerror(errno))) }
            return
        }
        // The permissions of the file replaced, exactly (not narrowed by the umask): else the default.
        var kept: mode_t?
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { kept = info.st_mode & 0o7777 }
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
            attempt += 1
            guard errno == EEXIST, attempt < 100 else { throw .outputFailed(path: path, reason: String(cString: strerror(errno))) }
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
        guard failure == nil, descriptor >= 0, let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let n = systemWrite(descriptor, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    // A named pipe or terminal opened non-blocking by its reader's side: wait for room.
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                }
                failure = String(cString: strerror(errno))
                return
            }
            offset += n
        }
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
