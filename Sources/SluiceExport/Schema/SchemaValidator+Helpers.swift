import Foundation
import SluiceCore

extension SchemaValidator {
    /// Follows a same-document reference such as `#/$defs/agency` (JSON Pointer after `#`).
    func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        var node = rootSchema
        let pointer = ref.dropFirst()
        if pointer.isEmpty { return node }
        guard pointer.hasPrefix("/") else { return nil }
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object: guard let next = node[token] else { return nil }; node = next
            case .array(let items):
                guard let i = Int(token), items.indices.contains(i) else { return nil }
                node = items[i]
            default: return nil
            }
        }
        return node
    }

    func matches(_ value: JSONValue, type: JSONValue) -> Bool {
        switch type {
        case .string(let name): return SchemaValidator.matches(value, typeName: name)
        case .array(let names): return names.contains { $0.stringValue.map { SchemaValidator.matches(value, typeName: $0) } ?? false }
        default: return false
        }
    }

    static func matches(_ value: JSONValue, typeName: String) -> Bool {
        switch (typeName, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): return true
        case ("number", .int), ("number", .double), ("integer", .int): return true
        // 2020-12: a number with a zero fractional part is an integer.
        case ("integer", .double(let d)): return d.rounded() == d
        default: return false
        }
    }

    func describe(_ type: JSONValue) -> String {
        switch type {
        case .string(let s): return s
        case .array(let names): return names.compactMap(\.stringValue).joined(separator: " or ")
        default: return type.serialized()
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// JSON equality as JSON Schema means it: 1 equals 1.0, object key order does not matter.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .double), (.double, .int), (.int, .int), (.double, .double):
            return number(a) == number(b)
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.object(x), .object(y)):
            return x.count == y.count && x.allSatisfy { pair in y.contains { $0.0 == pair.0 && equal($0.1, pair.1) } }
        default:
            return a == b
        }
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        default: return nil
        }
    }

    /// JSON Pointer escaping for a key in an error path.
    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    func show(_ path: String) -> String { path.isEmpty ? "/" : path }
}
