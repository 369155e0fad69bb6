/// Renders a `Classification` for `harness-audit classify`: text for people, JSON
/// (schema documented in the README) for tests and tools. Secrets in reasons, targets and notes are masked
/// by `redactor` (a line pasted from a log may carry a token).
public enum ClassificationRenderer {
    public static func text(_ c: Classification, tool: String, redactor: Redactor = Redactor()) -> String {
        let r: (String) -> String = { redactor.redact($0) }
        var out = "tool: \(tool)\n"
        out += "classes: \(c.classes.names.isEmpty ? "(none)" : c.classes.names.joined(separator: ", "))\n"
        if !c.reasons.isEmpty {
            out += "reasons:\n"
            for reason in c.reasons { out += "  \(reason.className): \(r(reason.text))\n" }
        }
        out += "production: \(c.isProduction ? "yes — " + r(c.production.joined(separator: "; ")) : "no")\n"
        if !c.targets.isEmpty {
            out += "targets:\n"
            for target in c.targets {
                out += "  \(target.kind.rawValue): \(r(target.value))"
                if let op = target.operation { out += " (\(op))" }
                if let lifetime = target.lifetimeSeconds { out += " lifetime \(lifetime) s" }
                out += "\n"
            }
        }
        if !c.commandFamilies.isEmpty { out += "commands: \(c.commandFamilies.joined(separator: ", "))\n" }
        for note in c.notes { out += "note: \(r(note))\n" }
        return out
    }

    public static func json(_ c: Classification, tool: String, context: ClassificationContext, redactor: Redactor = Redactor()) -> String {
        let r: (String) -> String = { redactor.redact($0) }
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("schemaVersion", 1)
        w.field("tool", tool)
        w.field("cwd", context.cwd)
        w.field("home", context.home)
        w.key("classes")
        w.beginArray()
        for name in c.classes.names { w.string(name) }
        w.endArray()
        w.key("reasons")
        w.beginArray()
        for reason in c.reasons {
            w.beginObject()
            w.field("class", reason.className)
            w.field("reason", r(reason.text))
            w.endObject()
        }
        w.endArray()
        w.key("production")
        w.beginObject()
        w.field("detected", c.isProduction)
        w.key("evidence")
        w.beginArray()
        for evidence in c.production { w.string(r(evidence)) }
        w.endArray()
        w.endObject()
        w.key("targets")
        w.beginArray()
        for target in c.targets {
            w.beginObject()
            w.field("kind", target.kind.rawValue)
            w.field("value", r(target.value))
            if let op = target.operation { w.field("op", op) }
            if let lifetime = target.lifetimeSeconds { w.field("lifetimeSeconds", lifetime) }
            w.endObject()
        }
        w.endArray()
        w.key("commands")
        w.beginArray()
        for family in c.commandFamilies { w.string(family) }
        w.endArray()
        w.key("notes")
        w.beginArray()
        for note in c.notes { w.string(r(note)) }
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }
}
