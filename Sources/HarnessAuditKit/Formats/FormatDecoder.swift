/// The line being decoded: its bytes (without a trailing carriage return) and number.
struct DecodeLine {
    var bytes: UnsafeRawBufferPointer
    var number: Int64
}

/// Turns one parsed line of a known format into canonical events.
protocol FormatDecoder {
    var format: LogFormat { get }
    /// Appends the line's events to `events`, or throws why the line cannot be used.
    func decode(_ root: JSONValue, line: DecodeLine, state: DecodingState,
                into events: inout [EventRecord]) throws(LineRejection)
}
