import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One SQLite connection. Not thread-safe: each thread of the pipeline opens its own.
public final class Database {
    public enum Access: Sendable {
        /// Read and write; creates the file (mode 0600) when missing.
        case readWrite
        /// Read-only connection, used by rules and reports: they cannot change the store.
        case readOnly
        /// A private in-memory database (rule validation); `path` is ignored.
        case memory
        /// A private working file (the check's action model): read and write, created mode 0600 when missing,
        /// no journal and no syncing (it is rebuilt, never recovered). Never a store.
        case scratch
    }

    let handle: OpaquePointer
    /// The connection's busy handler (kept alive with it).
    private let busyWait: BusyWait
    public let path: String
    public let access: Access
    /// A `file:` URI that opens this database read-only as this connection did (`immutable=1` for a store
    /// in a read-only directory), for another connection to ATTACH it.
    public private(set) var readOnlyURI: String

    /// Opens (or creates) the database at `path`.
    public init(path: String, access: Access, busyTimeoutMillis: Int32 = 120_000) throws(HarnessAuditError) {
        self.path = path
        self.access = access
        readOnlyURI = "file:" + Database.uriEscaped(path) + "?mode=ro"
        var status = stat()
        if access != .memory, stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw .unreadableInput(path: path, reason: "is a directory, not a database file (--db names the store's file)")
        }
        if (access == .readWrite || access == .scratch) && Glibc_access(path) != 0 {
            // Create the file ourselves so it is private to the user from the first byte. Only when it does not
            // exist: closing any descriptor of the file drops every POSIX lock this process holds on it, including
            // those of its other SQLite connections (an ingest has two). Another process could then take the
            // store for unused, checkpoint and remove the write-ahead log under this one, losing its commits.
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 && errno != EEXIST {
                throw .unreadableInput(path: path, reason: "cannot open database: " + String(cString: strerror(errno)))
            }
            if fd >= 0 { close(fd) }
        } else if access == .readOnly && Glibc_access(path) != 0 {
            throw .unreadableInput(path: path, reason: "no such database (run `harness-audit ingest` first)")
        }
        let flags = (access == .readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | (access == .scratch ? SQLITE_OPEN_URI : 0)
        var db = try Database.connect(access == .memory ? ":memory:" : path,
                                   flags: access == .memory ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE : flags)
        var probe = Database.prepareConnection(db, access: access, busyTimeoutMillis: busyTimeoutMillis)
        if access == .readOnly, case .failure(let error) = probe, case .database(let code, _, _) = error,
           code & 0xFF == SQLITE_READONLY || code & 0xFF == SQLITE_CANTOPEN {
            // A store in a read-only directory (an evidence archive): SQLite cannot create the WAL index
            // beside it. Without pending write-ahead log content, the file alone is the whole store.
            sqlite3_close_v2(db)
            if Database.fileSize(path + "-wal") > 0 {
                throw .unreadableInput(path: path, reason: "the store's directory is read-only and its write-ahead log (\(path)-wal) "
                                       + "holds data not yet in the store; copy both files to a writable directory")
            }
            readOnlyURI = "file:" + Database.uriEscaped(path) + "?immutable=1"
            db = try Database.connect(readOnlyURI, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE)
            probe = Database.prepareConnection(db, access: access, busyTimeoutMillis: busyTimeoutMillis)
        }
        if case .failure(let error) = probe {
            sqlite3_close_v2(db)
            if case .database(_, let message, _) = error, message.contains("not a database") {
                throw .incompatibleDatabase(path: path, reason: "not a SQLite database")
            }
            if case .database(_, let message, _) = error { throw .unreadableInput(path: path, reason: "cannot read the store: \(message)") }
            throw error
        }
        handle = db
        busyWait = BusyWait(timeoutMillis: busyTimeoutMillis)
        busyWait.install(on: db)
    }

    /// Process-wide SQLite settings, applied once before the first connection opens: memory statistics off,
    /// since with them on every allocation SQLite makes takes a global mutex (measured: 2.8% of ingest time
    /// on the writer thread, README, Performance). Nothing reads the statistics.
    private static let configured: Bool = ha_sqlite_disable_memstatus() == SQLITE_OK

    static func connect(_ name: String, flags: Int32) throws(HarnessAuditError) -> OpaquePointer {
        _ = configured
        var db: OpaquePointer?
        let status = sqlite3_open_v2(name, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw .database(code: status, message: message, sql: nil)
        }
        return db
    }

    /// Sets up a fresh connection and checks it reads a SQLite database at all (a text file named
    /// *.sqlite fails here).
    static func prepareConnection(_ db: OpaquePointer, access: Access, busyTimeoutMillis: Int32) -> Result<Void, HarnessAuditError> {
        sqlite3_busy_timeout(db, busyTimeoutMillis)
        sqlite3_extended_result_codes(db, 1)
        var statements = ["PRAGMA foreign_keys=OFF", "PRAGMA schema_version"]
        if access == .readWrite { statements.insert(contentsOf: ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"], at: 0) }
        if access == .scratch { statements.insert(contentsOf: ["PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF"], at: 0) }
        for sql in statements {
            var status: Int32 = SQLITE_OK
            // Switching a new store to WAL while another process does the same can answer SQLITE_BUSY at once, without
            // the busy handler (SQLite does not wait there, to avoid deadlock): try again for the busy timeout.
            var waitedMillis: Int32 = 0
            repeat {
                var statement: OpaquePointer?
                status = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
                if status == SQLITE_OK {
                    repeat { status = sqlite3_step(statement) } while status == SQLITE_ROW
                    if status == SQLITE_DONE { status = SQLITE_OK }
                }
                sqlite3_finalize(statement)
                guard status & 0xFF == SQLITE_BUSY || status & 0xFF == SQLITE_LOCKED, waitedMillis < busyTimeoutMillis else { break }
                usleep(20_000)
                waitedMillis += 20
            } while true
            if status != SQLITE_OK {
                return .failure(.database(code: sqlite3_extended_errcode(db), message: String(cString: sqlite3_errmsg(db)), sql: sql))
            }
        }
        return .success(())
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// A path for a `file:` URI: `%`, `?` and `#` escaped; an absolute path after an empty authority
    /// (`file:///…`), so a path starting with `//` is not taken for a host.
    static func uriEscaped(_ path: String) -> String {
        path.hasPrefix("/") ? "//" + escapedForURI(path) : escapedForURI(path)
    }

    private static func escapedForURI(_ path: String) -> String {
        var out = ""
        for character in path {
            switch character {
            case "%": out += "%25"
            case "?": out += "%3f"
            case "#": out += "%23"
            default: out.append(character)
            }
        }
        return out
    }

    deinit {
        busyWait.uninstall(from: handle)
        sqlite3_close_v2(handle)
    }

    func error(_ status: Int32, sql: String?) -> HarnessAuditError {
        .database(code: status, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that take no parameters.
    public func execute(_ sql: String) throws(HarnessAuditError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw .database(code: status, message: text, sql: sql)
        }
    }

    public func prepare(_ sql: String) throws(HarnessAuditError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// The first column of the first row, as an integer.
    public func scalarInt(_ sql: String, _ bindings: [SQLValue] = []) throws(HarnessAuditError) -> Int64? {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.int64(0)
    }

    public func scalarText(_ sql: String, _ bindings: [SQLValue] = []) throws(HarnessAuditError) -> String? {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// All rows of a query, each as an array of values.
    public func rows(_ sql: String, _ bindings: [SQLValue] = []) throws(HarnessAuditError) -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        var out: [[SQLValue]] = []
        while try statement.step() {
            out.append((0..<statement.columnCount).map { statement.value($0) })
        }
        return out
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE` takes the write lock up front, so a
    /// second writer waits on the busy timeout instead of failing halfway).
    public func transaction<T>(immediate: Bool = true, _ body: () throws(HarnessAuditError) -> T) throws(HarnessAuditError) -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

@inline(__always)
private func Glibc_access(_ path: String) -> Int32 {
    #if canImport(Glibc)
    return Glibc.access(path, F_OK)
    #else
    return Darwin.access(path, F_OK)
    #endif
}

/// A value bound to or read from SQLite.
public enum SQLValue: Equatable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        case .blob(let v): return "<\(v.count) bytes>"
        }
    }

    public var int64: Int64? {
        switch self {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v)
        case .text(let v): return Int64(v)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .text(let v): return Double(v)
        default: return nil
        }
    }

    public var text: String? {
        switch self {
        case .null: return nil
        case .text(let v): return v
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .blob(let v): return String(decoding: v, as: UTF8.self)
        }
    }

    public static func optional(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    public static func optional(_ value: Int64?) -> SQLValue { value.map { .integer($0) } ?? .null }
}
