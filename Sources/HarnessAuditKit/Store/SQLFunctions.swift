import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Application-defined SQL functions. A Swift closure is boxed and passed to SQLite as the
/// function's user data; the C trampoline unboxes it. Arguments arrive as `SQLValue`s.
extension Database {
    final class FunctionBox {
        let body: ([SQLValue]) -> SQLValue
        init(_ body: @escaping ([SQLValue]) -> SQLValue) { self.body = body }
    }

    static func value(_ raw: OpaquePointer?) -> SQLValue {
        switch sqlite3_value_type(raw) {
        case SQLITE_INTEGER: return .integer(sqlite3_value_int64(raw))
        case SQLITE_FLOAT: return .real(sqlite3_value_double(raw))
        case SQLITE_TEXT:
            guard let text = sqlite3_value_text(raw) else { return .text("") }
            let count = Int(sqlite3_value_bytes(raw))
            return .text(String(decoding: UnsafeRawBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_value_bytes(raw))
            guard count > 0, let blob = sqlite3_value_blob(raw) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default: return .null
        }
    }

    static func result(_ context: OpaquePointer?, _ value: SQLValue) {
        switch value {
        case .null: sqlite3_result_null(context)
        case .integer(let v): sqlite3_result_int64(context, v)
        case .real(let v): sqlite3_result_double(context, v)
        case .text(var v):
            v.withUTF8 { sqlite3_result_text(context, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int32($0.count), ha_sqlite_transient()) }
        case .blob(let v):
            v.withUnsafeBytes { sqlite3_result_blob(context, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), ha_sqlite_transient()) }
        }
    }

    /// Registers a deterministic scalar function taking `arity` arguments.
    public func registerFunction(_ name: String, arity: Int32, deterministic: Bool = true,
                                 _ body: @escaping ([SQLValue]) -> SQLValue) throws(HarnessAuditError) {
        let box = Unmanaged.passRetained(FunctionBox(body)).toOpaque()
        let flags = SQLITE_UTF8 | (deterministic ? SQLITE_DETERMINISTIC : 0)
        let status = sqlite3_create_function_v2(handle, name, arity, flags, box, { context, count, values in
            let box = Unmanaged<Database.FunctionBox>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
            var arguments: [SQLValue] = []
            arguments.reserveCapacity(Int(count))
            for i in 0..<Int(count) { arguments.append(Database.value(values![i])) }
            Database.result(context, box.body(arguments))
        }, nil, nil, { pointer in
            if let pointer { Unmanaged<Database.FunctionBox>.fromOpaque(pointer).release() }
        })
        if status != SQLITE_OK { throw error(status, sql: "create function \(name)") }
    }

    typealias AggregateStep = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void
    typealias AggregateFinal = @convention(c) (OpaquePointer?) -> Void

    /// Registers a deterministic aggregate implemented by C callbacks (no Swift values per row).
    func registerAggregate(_ name: String, arity: Int32, step: AggregateStep, final: AggregateFinal) throws(HarnessAuditError) {
        let status = sqlite3_create_function_v2(handle, name, arity, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, nil, step, final, nil)
        if status != SQLITE_OK { throw error(status, sql: "create function \(name)") }
    }

    /// `ha_bitor(x)`: the bitwise OR of its arguments over a group (SQLite has no such aggregate).
    public func registerBitOr() throws(HarnessAuditError) {
        try registerAggregate("ha_bitor", arity: 1, step: { context, _, values in
            guard let accumulator = sqlite3_aggregate_context(context, 8)?.assumingMemoryBound(to: Int64.self) else { return }
            accumulator.pointee |= sqlite3_value_int64(values![0])
        }, final: { context in
            let accumulator = sqlite3_aggregate_context(context, 0)?.assumingMemoryBound(to: Int64.self)
            sqlite3_result_int64(context, accumulator?.pointee ?? 0)
        })
    }

    /// A fixed table of names, handed to the C callbacks below as user data.
    final class NameTable {
        let entries: [(name: [UInt8], value: Int64)]
        init(_ entries: [(String, Int64)]) { self.entries = entries.map { (Array($0.0.utf8), $0.1) } }

        func value(named raw: UnsafeRawPointer, count: Int) -> Int64? {
            for entry in entries where entry.name.count == count {
                if entry.name.withUnsafeBytes({ memcmp($0.baseAddress!, raw, count) }) == 0 { return entry.value }
            }
            return nil
        }

        func name(of value: Int64) -> [UInt8]? { entries.first { $0.value == value }?.name }
    }

    /// An argument as an integer the way `SQLValue.int64` reads one: integers, reals with no
    /// fraction and integer text; nil for anything else (as the Swift functions these replace did).
    static func exactInteger(_ value: OpaquePointer?) -> Int64? {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER: return sqlite3_value_int64(value)
        case SQLITE_FLOAT: return Int64(exactly: sqlite3_value_double(value))
        case SQLITE_TEXT:
            guard let text = sqlite3_value_text(value) else { return nil }
            return Int64(String(decoding: UnsafeRawBufferPointer(start: text, count: Int(sqlite3_value_bytes(value))), as: UTF8.self))
        default: return nil
        }
    }

    /// `name(bits, 'flag')`: 1 when `bits` has the bit the table gives the name, else 0 (also for
    /// unknown names). A C callback with no Swift values per call: rules call these on every row.
    public func registerBitTest(_ name: String, bits: [(String, Int64)]) throws(HarnessAuditError) {
        let box = Unmanaged.passRetained(NameTable(bits)).toOpaque()
        let status = sqlite3_create_function_v2(handle, name, 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, box, { context, _, values in
            let table = Unmanaged<Database.NameTable>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
            guard let bits = Database.exactInteger(values![0]), let text = sqlite3_value_text(values![1]),
                  let bit = table.value(named: UnsafeRawPointer(text), count: Int(sqlite3_value_bytes(values![1]))) else {
                sqlite3_result_int64(context, 0)
                return
            }
            sqlite3_result_int64(context, bits & bit != 0 ? 1 : 0)
        }, nil, nil, { pointer in
            if let pointer { Unmanaged<Database.NameTable>.fromOpaque(pointer).release() }
        })
        if status != SQLITE_OK { throw error(status, sql: "create function \(name)") }
    }

    /// `name(code)`: the name the table gives an integer code, NULL for NULL or unknown codes.
    public func registerCodeName(_ name: String, names: [(String, Int64)]) throws(HarnessAuditError) {
        let box = Unmanaged.passRetained(NameTable(names)).toOpaque()
        let status = sqlite3_create_function_v2(handle, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, box, { context, _, values in
            let table = Unmanaged<Database.NameTable>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
            guard let code = Database.exactInteger(values![0]), let text = table.name(of: code) else {
                sqlite3_result_null(context)
                return
            }
            text.withUnsafeBytes {
                sqlite3_result_text(context, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count), ha_sqlite_transient())
            }
        }, nil, nil, { pointer in
            if let pointer { Unmanaged<Database.NameTable>.fromOpaque(pointer).release() }
        })
        if status != SQLITE_OK { throw error(status, sql: "create function \(name)") }
    }

    /// Byte offset of the last error in the SQL text, or nil.
    var errorOffset: Int? {
        let offset = sqlite3_error_offset(handle)
        return offset >= 0 ? Int(offset) : nil
    }
}
