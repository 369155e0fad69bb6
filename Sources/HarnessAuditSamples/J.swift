import HarnessAuditKit

/// A JSON value with ordered object members, for writing realistic sample lines.
public indirect enum J {
    case s(String)
    case i(Int64)
    case d(Double)
    case b(Bool)
    case null
    case o([(String, J)])
    case a([J])

    public static func int(_ value: Int) -> J { .i(Int64(value)) }

    public var text: String {
        var writer = JSONWriter()
        write(into: &writer)
        return writer.output
    }

    func write(into writer: inout JSONWriter) {
        switch self {
        case .s(let v): writer.string(v)
        case .i(let v): writer.number(v)
        case .d(let v): writer.number(v)
        case .b(let v): writer.bool(v)
        case .null: writer.null()
        case .o(let members):
            writer.beginObject()
            for (key, value) in members {
                writer.key(key)
                value.write(into: &writer)
            }
            writer.endObject()
        case .a(let values):
            writer.beginArray()
            for value in values { value.write(into: &writer) }
            writer.endArray()
        }
    }
}
