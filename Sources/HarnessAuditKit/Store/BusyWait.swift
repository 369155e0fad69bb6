import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a connection waits for a lock another connection holds: polls every 50 µs at first, backing
/// off to 5 ms, until the timeout. SQLite's own handler (`sqlite3_busy_timeout`) sleeps 1, 2, 5, 10 ms…
/// from the first attempt; an ingest's planner, claiming each file while the writer commits the one
/// before, lost those milliseconds per file (2,900 Claude transcripts: 5,379 sleeps, README, Performance).
final class BusyWait {
    let timeoutMillis: Int64
    private var started = 0.0
    private var lastAttempt: Int32 = -1

    init(timeoutMillis: Int32) {
        self.timeoutMillis = Int64(max(timeoutMillis, 0))
    }

    /// Whether to try again after `attempt` (0 for the first) failed attempts; sleeps first.
    func retry(after attempt: Int32) -> Bool {
        let now = Clock.monotonicSeconds()
        // A new wait starts at attempt 0; a count that did not grow is a new wait too (never time one out on
        // an earlier wait's clock).
        if attempt <= lastAttempt || attempt == 0 { started = now }
        lastAttempt = attempt
        let elapsedMillis = Int64((now - started) * 1000)
        if elapsedMillis >= timeoutMillis { return false }
        let micros = min(Int64(50) << Int64(min(attempt, 7)), 5_000, max((timeoutMillis - elapsedMillis) * 1000, 1))
        usleep(useconds_t(micros))
        return true
    }

    /// Installs this as `db`'s busy handler; the caller keeps it alive as long as the connection, and puts
    /// SQLite's own handler back (`uninstall`) before letting it go.
    func install(on db: OpaquePointer) {
        sqlite3_busy_handler(db, { context, attempt in
            guard let context else { return 0 }
            return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue().retry(after: attempt) ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Puts SQLite's own handler back: a connection closed with statements still open lives on until they
    /// finish, and must not call into this object after it is gone.
    func uninstall(from db: OpaquePointer) {
        sqlite3_busy_timeout(db, Int32(clamping: timeoutMillis))
    }
}
