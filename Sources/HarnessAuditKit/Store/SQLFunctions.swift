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

    /// The C signature of a scalar function and of an aggregate's step.
    typealias Callback = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void

    /// Registers a C callback with `userData` retained as the function's user data (released by
    /// SQLite when the function is replaced or the connection closes).
    private func createFunction(_ name: String, arity: Int32, deterministic: Bool, userData: AnyObject,
                                _ body: Callback) throws(HarnessAuditError) {
        let flags = SQLITE_UTF8 | (deterministic ? SQLITE_DETERMINISTIC : 0)
        let status = sqlite3_create_function_v2(handle, name, arity, flags, Unmanaged.passRetained(userData).toOpaque(), body,
                                                nil, nil, { pointer in
            if let pointer { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
        })
        if status != SQLITE_OK { throw error(status, sql: "create function \(name)") }
    }

    /// The user data a callback registered by `createFunction` was given.
    static func userData<T: AnyObject>(_ context: OpaquePointer?, as type: T.Type) -> T {
        Unmanaged<T>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
    }

    /// Registers a deterministic scalar function taking `arity` arguments.
    public func registerFunction(_ name: String, arity: Int32, deterministic: Bool = true,
                                 _ body: @escaping ([SQLValue]) -> SQLValue) throws(HarnessAuditError) {
        try createFunction(name, arity: arity, deterministic: deterministic, userData: FunctionBox(body)) { context, count, values in
            let box = Database.userData(context, as: Database.FunctionBox.self)
            var arguments: [SQLValue] = []
            arguments.reserveCapacity(Int(count))
            for i in 0..<Int(count) { arguments.append(Database.value(values![i])) }
            Database.result(context, box.body(arguments))
        }
    }

    /// Why a function refused its arguments: the statement that called it fails with this message.
    struct FunctionFailure: Error {
        let message: String
    }

    final class FallibleFunctionBox {
        let body: ([SQLValue]) throws(FunctionFailure) -> SQLValue
        init(_ body: @escaping ([SQLValue]) throws(FunctionFailure) -> SQLValue) { self.body = body }
    }

    /// Registers a deterministic scalar function (`arity` -1: any number of arguments) that may refuse its
    /// arguments: the statement then fails with the failure's message, naming the function.
    func registerFallibleFunction(_ name: String, arity: Int32,
                                  _ body: @escaping ([SQLValue]) throws(FunctionFailure) -> SQLValue) throws(HarnessAuditError) {
        try createFunction(name, arity: arity, deterministic: true, userData: FallibleFunctionBox(body)) { context, count, values in
            let box = Database.userData(context, as: Database.FallibleFunctionBox.self)
            var arguments: [SQLValue] = []
            arguments.reserveCapacity(Int(count))
            for i in 0..<Int(count) { arguments.append(Database.value(values![i])) }
            do throws(FunctionFailure) {
                Database.result(context, try box.body(arguments))
            } catch {
                sqlite3_result_error(context, error.message, -1)
            }
        }
    }

    typealias AggregateFinal = @convention(c) (OpaquePointer?) -> Void

    /// Registers a deterministic aggregate implemented by C callbacks (no Swift values per row).
    func registerAggregate(_ name: String, arity: Int32, step: Callback, final: AggregateFinal) throws(HarnessAuditError) {
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

    /// `name(bits, 'flag')`: 1 when `bits` has the bit the table gives the name, else 0 (also for
    /// unknown names and for arguments that are not integers). A C callback that builds no Swift
    /// values for integers: rules call these on every row.
    public func registerBitTest(_ name: String, bits: [(String, Int64)]) throws(HarnessAuditError) {
        try createFunction(name, arity: 2, deterministic: true, userData: NameTable(bits)) { context, _, values in
            let table = Database.userData(context, as: Database.NameTable.self)
            guard let bits = Database.value(values![0]).int64, let text = sqlite3_value_text(values![1]),
                  let bit = table.value(named: UnsafeRawPointer(text), count: Int(sqlite3_value_bytes(values![1]))) else {
                sqlite3_result_int64(context, 0)
                return
            }
            sqlite3_result_int64(context, bits & bit != 0 ? 1 : 0)
        }
    }

    /// `name(code)`: the name the table gives an integer code, NULL for NULL or unknown codes.
    public func registerCodeName(_ name: String, names: [(String, Int64)]) throws(HarnessAuditError) {
        try createFunction(name, arity: 1, deterministic: true, userData: NameTable(names)) { context, _, values in
            let table = Database.userData(context, as: Database.NameTable.self)
            guard let code = Database.value(values![0]).int64, let text = table.name(of: code) else {
                sqlite3_result_null(context)
                return
            }
            text.withUnsafeBytes {
                sqlite3_result_text(context, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count), ha_sqlite_transient())
            }
        }
    }

    /// Byte offset of the last error in the SQL text, or nil.
    var errorOffset: Int? {
        let offset = sqlite3_error_offset(handle)
        return offset >= 0 ? Int(offset) : nil
    }
}
