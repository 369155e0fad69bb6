#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes an output's temporary file when the run is interrupted (Ctrl-C, a CI job's timeout) while the
/// output is being written, then lets the signal end the process as it would have: a document streamed
/// to `--output` leaves neither half a file nor its temporary file behind.
enum Interruption {
    /// The temporary file to remove, as a C string the signal handler can read without allocating.
    nonisolated(unsafe) private static var pending: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var installed = false

    /// Runs `body` with `temporaryPath` (if any) removed on SIGINT, SIGTERM or SIGHUP until it returns.
    static func removing<T>(_ temporaryPath: String?, during body: () throws -> T) rethrows -> T {
        guard let temporaryPath else { return try body() }
        if !installed {
            installed = true
            // Initialised before the handler can read it (a lazy global must not be set up in a signal handler).
            pending = nil
            for number in [SIGINT, SIGTERM, SIGHUP] {
                // A signal the process was started ignoring (`nohup`, a background job) stays ignored: asked
                // first, so there is no moment when it is not.
                var current = sigaction()
                guard sigaction(number, nil, &current) == 0, !Interruption.ignored(current) else { continue }
                _ = signal(number, Interruption.handle)
            }
        }
        let path = strdup(temporaryPath)
        pending = path
        defer {
            pending = nil
            free(path)
        }
        return try body()
    }

    private static func ignored(_ action: sigaction) -> Bool {
        #if os(Linux)
        let handler = action.__sigaction_handler.sa_handler
        #else
        let handler = action.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    private static let handle: @convention(c) (Int32) -> Void = { number in
        // Only async-signal-safe calls: unlink, signal, raise.
        if let path = Interruption.pending { unlink(path) }
        _ = signal(number, SIG_DFL)
        _ = raise(number)
    }
}
