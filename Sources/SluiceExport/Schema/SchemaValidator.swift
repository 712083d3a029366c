import Foundation
public import SluiceCore

/// Checks JSON values against a JSON Schema (draft 2020-12), for the subset of keywords
/// Sluice's schemas use: `type`, `required`, `properties`, `additionalProperties` (boolean
/// or schema), `items`, `enum`, `const`, `minimum`, `maximum`, `minLength`, `maxLength`,
/// `pattern`, `$ref` (to places in the same document, e.g. `#/$defs/name`), `anyOf`,
/// `oneOf`, `allOf`. Annotations (`title`, `description`, `$id`, `$schema`) are ignored.
///
/// Errors are JSON Pointer paths into the checked value followed by what is wrong there,
/// e.g. `/source/bytes: expected integer, found string`.
public struct SchemaValidator: Sendable {
    let rootSchema: JSONValue
    /// Compiled `pattern`s, keyed by pattern text; compiled once because records are checked by the thousand.
    private let patterns: [String: Pattern]

    /// Wraps a compiled regular expression; NSRegularExpression is immutable and documented as thread-safe.
    private struct Pattern: @unchecked Sendable {
        let regex: NSRegularExpression
    }

    /// Builds a validator for `schema`. Throws when a `pattern` in it is not a valid regular expression.
    public init(schema: JSONValue) throws(ExportError) {
        rootSchema = schema
        var found: [String: Pattern] = [:]
        var stack = [schema]
        while let node = stack.popLast() {
            switch node {
            case .object(let pairs):
                for (key, value) in pairs {
                    if key == "pattern", case .string(let p) = value, found[p] == nil {
                        do {
                            found[p] = Pattern(regex: try NSRegularExpression(pattern: p))
                        } catch {
                            throw ExportError(.resource, "schema pattern \(p) is not a regular expression", cause: error)
                        }
                    }
                    stack.append(value)
                }
            case .array(let items): stack.append(contentsOf: items)
            default: break
            }
        }
        patterns = found
    }

    /// Every way `value` breaks the schema; empty when it conforms.
    public func validate(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        check(value, against: rootSchema, at: "", errors: &errors, refDepth: 0)
        return errors
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, errors: inout [String], refDepth: Int) {
        switch schema {
        case .bool(true): return
        case .bool(false):
            errors.append("\(show(path)): no value is allowed here")
            return
        case .object: break
        default:
            errors.append("\(show(path)): schema is not an object")
            return
        }
        if let ref = schema["$ref"]?.stringValue {
            guard refDepth < 64, let target = resolve(ref) else {
                errors.append("\(show(path)): cannot resolve $ref \(ref)")
                return
            }
            check(value, against: target, at: path, errors: &errors, refDepth: refDepth + 1)
        }
        if let type = schema["type"], !matches(value, type: type) {
            errors.append("\(show(path)): expected \(describe(type)), found \(SchemaValidator.typeName(value))")
            return
        }
        if let constant = schema["const"], !SchemaValidator.equal(value, constant) {
            errors.append("\(show(path)): expected \(constant.serialized())")
        }
        if case .array(let options)? = schema["enum"], !options.contains(where: { SchemaValidator.equal(value, $0) }) {
            errors.append("\(show(path)): \(value.serialized()) is not one of \(JSONValue.array(options).serialized())")
        }
        checkCombinators(value, schema, path, &errors, refDepth)
        switch value {
        case .object(let pairs): checkObject(pairs, schema, path, &errors, refDepth)
        case .array(let items):
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() {
                    check(item, against: itemSchema, at: "\(path)/\(i)", errors: &errors, refDepth: refDepth)
                }
            }
        case .string(let s): checkString(s, schema, path, &errors)
        case .int, .double: checkNumber(value, schema, path, &errors)
        default: break
        }
    }

    private func checkCombinators(
        _ value: JSONValue, _ schema: JSONValue, _ path: String, _ errors: inout [String], _ refDepth: Int
    ) {
        if case .array(let all)? = schema["allOf"] {
            for sub in all { check(value, against: sub, at: path, errors: &errors, refDepth: refDepth) }
        }
        if case .array(let any)? = schema["anyOf"] {
            let passing = any.filter { sub in
                var scratch: [String] = []
                check(value, against: sub, at: path, errors: &scratch, refDepth: refDepth)
                return scratch.isEmpty
            }
            if passing.isEmpty { errors.append("\(show(path)): matches none of the allowed forms (anyOf)") }
        }
        if case .array(let one)? = schema["oneOf"] {
            let passing = one.filter { sub in
                var scratch: [String] = []
                check(value, against: sub, at: path, errors: &scratch, refDepth: refDepth)
                return scratch.isEmpty
            }.count
            if passing != 1 { errors.append("\(show(path)): matches \(passing) of the forms where exactly one is required (oneOf)") }
        }
    }

    private func checkObject(
        _ pairs: [(String, JSONValue)], _ schema: JSONValue, _ path: String, _ errors: inout [String], _ refDepth: Int
    ) {
        if case .array(let required)? = schema["required"] {
            for case .string(let key) in required where !pairs.contains(where: { $0.0 == key }) {
                errors.append("\(show(path)): missing required key \"\(key)\"")
            }
        }
        let properties = schema["properties"]
        var seen = Set<String>()
        for (key, value) in pairs {
            let childPath = "\(path)/\(SchemaValidator.escape(key))"
            if !seen.insert(key).inserted { errors.append("\(childPath): key appears twice") }
            if let sub = properties?[key] {
                check(value, against: sub, at: childPath, errors: &errors, refDepth: refDepth)
            } else if let extra = schema["additionalProperties"] {
                if case .bool(false) = extra {
                    errors.append("\(childPath): key is not allowed here")
                } else {
                    check(value, against: extra, at: childPath, errors: &errors, refDepth: refDepth)
                }
            }
        }
    }

    private func checkString(_ s: String, _ schema: JSONValue, _ path: String, _ errors: inout [String]) {
        // JSON Schema counts length in code points.
        let length = s.unicodeScalars.count
        if let min = SchemaValidator.number(schema["minLength"]), Double(length) < min {
            errors.append("\(show(path)): shorter than \(Int(min)) characters")
        }
        if let max = SchemaValidator.number(schema["maxLength"]), Double(length) > max {
            errors.append("\(show(path)): longer than \(Int(max)) characters")
        }
        if let p = schema["pattern"]?.stringValue, let pattern = patterns[p] {
            let range = NSRange(s.startIndex..<s.endIndex, in: s)
            if pattern.regex.firstMatch(in: s, range: range) == nil {
                errors.append("\(show(path)): \(JSONValue.string(s).serialized()) does not match \(p)")
            }
        }
    }

    private func checkNumber(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ errors: inout [String]) {
        guard let n = SchemaValidator.number(value) else { return }
        if let min = SchemaValidator.number(schema["minimum"]), n < min {
            errors.append("\(show(path)): \(value.serialized()) is less than \(schema["minimum"]?.serialized() ?? "")")
        }
        if let max = SchemaValidator.number(schema["maximum"]), n > max {
            errors.append("\(show(path)): \(value.serialized()) is more than \(schema["maximum"]?.serialized() ?? "")")
        }
    }
}
