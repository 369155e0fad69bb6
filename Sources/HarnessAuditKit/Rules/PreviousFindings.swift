/// The finding ids of a previous run (`--new-only --previous FILE`), read from its JSON
/// output (`findings`, and `previouslyReportedIDs` when it was a `--new-only` run itself)
/// or its SARIF output (the harness-audit partial fingerprints; a `--new-only` SARIF holds only the
/// new ones, so chain runs with JSON). A finding the previous run waived was never reported as one: when its
/// waiver expires or goes, it is new. Ids are compared in lower case.
public enum PreviousFindings {
    public static func load(_ path: String) throws(HarnessAuditError) -> Set<String> {
        let bytes = try OutputFile.readBytes(path)
        guard !bytes.isEmpty else {
            throw .invalidConfiguration(file: path, line: 1, column: nil, message: "empty file; expected the JSON output of `check --format json`")
        }
        let tape = JSONTape(maximumDepth: 64)
        return try bytes.withUnsafeBytes { buffer in
            Result { () throws(HarnessAuditError) -> Set<String> in try ids(buffer, tape: tape, path: path) }
        }.get()
    }

    static func ids(_ buffer: UnsafeRawBufferPointer, tape: JSONTape, path: String) throws(HarnessAuditError) -> Set<String> {
            do throws(JSONTape.ParseError) { try tape.parse(buffer) } catch {
                let line = 1 + buffer.prefix(error.offset).filter { $0 == 0x0A }.count
                throw HarnessAuditError.invalidConfiguration(file: path, line: line, column: nil, message: "not JSON: \(error.message)")
            }
            let root = JSONValue(bytes: buffer, tape: tape)
            var ids = Set<String>()
            if root["schemaVersion"] != nil, let findings = root["findings"], findings.isArray {
                // A `--new-only` run's output also lists what it left out as already reported.
                for id in root["previouslyReportedIDs"]?.elements ?? [] { if let id = id.string { ids.insert(id.lowercased()) } }
                for finding in findings.elements {
                    guard let id = finding["id"]?.string else {
                        throw .invalidConfiguration(file: path, line: 1, column: nil, message: "a finding has no `id`")
                    }
                    ids.insert(id.lowercased())
                }
                return ids
            }
            if let runs = root["runs"], runs.isArray {
                for run in runs.elements {
                    // (A suppressed result is a waived finding.)
                    for result in run["results"]?.elements ?? [] where (result["suppressions"]?.elements ?? []).isEmpty {
                        if let id = result["partialFingerprints"]?.member(SARIFRenderer.fingerprintKey)?.string { ids.insert(id.lowercased()) }
                    }
                }
                return ids
            }
            throw .invalidConfiguration(file: path, line: 1, column: nil,
                                        message: "not a harness-audit findings file: expected `check --format json` (or sarif) output")
    }
}
