/// Renders a `Classification` for `harness-audit classify`: text for people, JSON
/// (schema documented in the README) for tests and tools.
public enum ClassificationRenderer {
    public static func text(_ c: Classification, tool: String) -> String {
        var out = "tool: \(tool)\n"
        out += "classes: \(c.classes.names.isEmpty ? "(none)" : c.classes.names.joined(separator: ", "))\n"
        if !c.reasons.isEmpty {
            out += "reasons:\n"
            for reason in c.reasons { out += "  \(reason.className): \(reason.text)\n" }
        }
        out += "production: \(c.isProduction ? "yes — " + c.production.joined(separator: "; ") : "no")\n"
        if !c.targets.isEmpty {
            out += "targets:\n"
            for target in c.targets {
                out += "  \(target.kind.rawValue): \(target.value)"
                if let op = target.operation { out += " (\(op))" }
                if let lifetime = target.lifetimeSeconds { out += " lifetime \(lifetime) s" }
                out += "\n"
            }
        }
        if !c.commandFamilies.isEmpty { out += "commands: \(c.commandFamilies.joined(separator: ", "))\n" }
        for note in c.notes { out += "note: \(note)\n" }
        return out
    }

    public static func json(_ c: Classification, tool: String, context: ClassificationContext) -> String {
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
            w.field("reason", reason.text)
            w.endObject()
        }
        w.endArray()
        w.key("production")
        w.beginObject()
        w.field("detected", c.isProduction)
        w.key("evidence")
        w.beginArray()
        for evidence in c.production { w.string(evidence) }
        w.endArray()
        w.endObject()
        w.key("targets")
        w.beginArray()
        for target in c.targets {
            w.beginObject()
            w.field("kind", target.kind.rawValue)
            w.field("value", target.value)
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
        for note in c.notes { w.string(note) }
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }
}
