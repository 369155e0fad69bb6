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
    }

    let handle: OpaquePointer
    public let path: String
    public let access: Access

    /// Opens (or creates) the database at `path`.
    public init(path: String, access: Access, busyTimeoutMillis: Int32 = 120_000) throws(HarnessAuditError) {
        self.path = path
        self.access = access
        if access == .readWrite {
            // Create the file ourselves so it is private to the user from the first byte.
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            if fd < 0 {
                throw .unreadableInput(path: path, reason: "cannot open database: " + String(cString: strerror(errno)))
            }
            close(fd)
        } else if access == .readOnly && Glibc_access(path) != 0 {
            throw .unreadableInput(path: path, reason: "no such database (run `harness-audit ingest` first)")
        }
        var db: OpaquePointer?
        let flags = (access == .readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = access == .memory
            ? sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nil)
            : sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw .database(code: status, message: message, sql: nil)
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeoutMillis)
        sqlite3_extended_result_codes(db, 1)
        do {
            if access == .readWrite {
                try execute("PRAGMA journal_mode=WAL")
                try execute("PRAGMA synchronous=NORMAL")
            }
            try execute("PRAGMA foreign_keys=OFF")
            // Verify this is a SQLite database at all (a text file named *.sqlite fails here).
            _ = try scalarInt("PRAGMA schema_version")
        } catch {
            sqlite3_close_v2(db)
            if case .database(_, let message, _) = error, message.contains("not a database") {
                throw .incompatibleDatabase(path: path, reason: "not a SQLite database")
            }
            throw error
        }
    }

    deinit { sqlite3_close_v2(handle) }

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
