import CSQLite

/// A prepared statement. Values are always bound, never spliced into SQL text.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    public let sql: String

    /// Text after the first statement (only comments and white space are allowed by `prepareSingle`).
    public let tail: String

    init(database: Database, sql: String) throws(HarnessAuditError) {
        var statement: OpaquePointer?
        var tailText = ""
        let status: Int32 = sql.withCString { base in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v3(database.handle, base, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if let tail { tailText = String(cString: tail) }
            return status
        }
        guard status == SQLITE_OK, let statement else {
            throw database.error(status, sql: sql)
        }
        handle = statement
        self.database = database
        self.sql = sql
        tail = tailText
    }

    deinit { sqlite3_finalize(handle) }

    /// True when the statement cannot write to the database (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: sqlite3_column_name(handle, Int32($0))) }
    }

    /// The 1-based index of a named parameter such as `:since`, or nil.
    public func parameterIndex(_ name: String) -> Int? {
        let index = sqlite3_bind_parameter_index(handle, name)
        return index > 0 ? Int(index) : nil
    }

    public func parameterName(_ index: Int) -> String? {
        sqlite3_bind_parameter_name(handle, Int32(index)).map { String(cString: $0) }
    }

    // MARK: Binding (1-based indexes)

    @inline(__always)
    private func check(_ status: Int32) throws(HarnessAuditError) {
        if status != SQLITE_OK { throw database.error(status, sql: sql) }
    }

    public func bind(_ index: Int, _ value: Int64?) throws(HarnessAuditError) {
        if let value {
            try check(sqlite3_bind_int64(handle, Int32(index), value))
        } else {
            try check(sqlite3_bind_null(handle, Int32(index)))
        }
    }

    public func bind(_ index: Int, _ value: Int?) throws(HarnessAuditError) {
        try bind(index, value.map(Int64.init))
    }

    public func bind(_ index: Int, _ value: Double?) throws(HarnessAuditError) {
        if let value {
            try check(sqlite3_bind_double(handle, Int32(index), value))
        } else {
            try check(sqlite3_bind_null(handle, Int32(index)))
        }
    }

    public func bind(_ index: Int, _ value: String?) throws(HarnessAuditError) {
        guard var value else {
            try check(sqlite3_bind_null(handle, Int32(index)))
            return
        }
        let status = value.withUTF8 { utf8 in
            sqlite3_bind_text(handle, Int32(index), UnsafeRawPointer(utf8.baseAddress!)
                .assumingMemoryBound(to: CChar.self), Int32(utf8.count), ha_sqlite_transient())
        }
        try check(status)
    }

    public func bind(_ index: Int, blob: UnsafeRawBufferPointer?) throws(HarnessAuditError) {
        guard let blob else {
            try check(sqlite3_bind_null(handle, Int32(index)))
            return
        }
        try check(sqlite3_bind_blob64(handle, Int32(index), blob.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                      sqlite3_uint64(blob.count), ha_sqlite_transient()))
    }

    public func bind(_ index: Int, blob: [UInt8]?) throws(HarnessAuditError) {
        guard let blob else {
            try bind(index, blob: nil as UnsafeRawBufferPointer?)
            return
        }
        let status = blob.withUnsafeBytes { buffer in
            sqlite3_bind_blob64(handle, Int32(index), buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                sqlite3_uint64(buffer.count), ha_sqlite_transient())
        }
        try check(status)
    }

    public func bind(_ index: Int, _ value: SQLValue) throws(HarnessAuditError) {
        switch value {
        case .null: try check(sqlite3_bind_null(handle, Int32(index)))
        case .integer(let v): try bind(index, v)
        case .real(let v): try bind(index, v)
        case .text(let v): try bind(index, v)
        case .blob(let v): try bind(index, blob: v)
        }
    }

    public func bind(_ values: [SQLValue]) throws(HarnessAuditError) {
        for (offset, value) in values.enumerated() { try bind(offset + 1, value) }
    }

    // MARK: Execution

    /// Steps once. Returns true when a row is available.
    @discardableResult
    public func step() throws(HarnessAuditError) -> Bool {
        let status = sqlite3_step(handle)
        if status == SQLITE_ROW { return true }
        if status == SQLITE_DONE { return false }
        let error = database.error(status, sql: sql)
        sqlite3_reset(handle)
        throw error
    }

    /// Runs to completion, then resets for reuse.
    public func run() throws(HarnessAuditError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (0-based)

    public func isNull(_ column: Int) -> Bool { sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL }

    public func int64(_ column: Int) -> Int64? {
        isNull(column) ? nil : sqlite3_column_int64(handle, Int32(column))
    }

    public func double(_ column: Int) -> Double? {
        isNull(column) ? nil : sqlite3_column_double(handle, Int32(column))
    }

    public func text(_ column: Int) -> String? {
        guard let pointer = sqlite3_column_text(handle, Int32(column)) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(column)))
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    public func blob(_ column: Int) -> [UInt8]? {
        guard sqlite3_column_type(handle, Int32(column)) != SQLITE_NULL else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(column)))
        guard count > 0, let pointer = sqlite3_column_blob(handle, Int32(column)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func value(_ column: Int) -> SQLValue {
        switch sqlite3_column_type(handle, Int32(column)) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, Int32(column)))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, Int32(column)))
        case SQLITE_TEXT: return .text(text(column) ?? "")
        case SQLITE_BLOB: return .blob(blob(column) ?? [])
        default: return .null
        }
    }
}
