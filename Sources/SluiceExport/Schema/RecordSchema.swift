import SluiceOutbox
import Foundation
public import SluiceCore

/// The record's JSON Schema (`schema/record.schema.json` in the repository, compiled into this
/// module from `Resources/record.schema.json`) and checks against it, for tests and for `sluice validate`-style tools.
///
/// Every check returns a list of errors, each a JSON Pointer into the record followed by what is
/// wrong (`/source/bytes: expected integer, found string`); an empty list means the record conforms.
public enum RecordSchema {
    /// The schema as compiled in, or why it could not be loaded.
    private static let loaded: Result<SchemaValidator, ExportError> = {
        do throws(ExportError) {
            return .success(try SchemaValidator(schema: try schema()))
        } catch {
            return .failure(error)
        }
    }()

    /// The schema document itself.
    public static func schema() throws(ExportError) -> JSONValue {
        try mapped { try JSONReader.parse(ShippedResources.recordSchema) }
    }

    /// Checks one record given as a parsed JSON value.
    public static func validate(_ record: JSONValue) -> [String] {
        switch loaded {
        case .success(let validator): return validator.validate(record)
        case .failure(let error): return ["schema: \(error)"]
        }
    }

    /// Checks one record given as a Foundation JSON object (what `JSONSerialization.jsonObject` returns).
    public static func validate(_ object: Any) -> [String] {
        switch JSONValue.fromFoundation(object) {
        case .success(let value): return validate(value)
        case .failure(let error): return ["/: \(error.message)"]
        }
    }

    /// Checks one NDJSON line (or any JSON text holding one record).
    public static func validate(line: String) -> [String] {
        do {
            return validate(try JSONReader.parse(line))
        } catch {
            return ["/: \(error.message)"]
        }
    }

    /// Checks every record under `outbox/records/`. Each error is prefixed with the records file
    /// (relative to `records/`) and line number: `doj/a.html.ndjson:3: /title: expected ...`.
    /// Throws only when the records cannot be read at all.
    public static func validateOutbox(_ outbox: String) throws(ExportError) -> [String] {
        var errors: [String] = []
        try mapped {
            try OutboxReader(outbox: outbox).forEachLine { location, bytes in
                let problems: [String]
                do throws(SluiceError) {
                    problems = validate(try JSONReader.parse(bytes))
                } catch {
                    problems = ["/: \(error.message)"]
                }
                errors += problems.map { "\(location): \($0)" }
            }
        }
        return errors
    }
}

extension JSONValue {
    /// Converts a Foundation JSON object (from `JSONSerialization`) to a `JSONValue`.
    /// Dictionary keys come out sorted, since Foundation does not keep their order.
    static func fromFoundation(_ object: Any) -> Result<JSONValue, ExportError> {
        switch object {
        case is NSNull: return .success(.null)
        case let s as String: return .success(.string(s))
        case let n as NSNumber:
            // JSONSerialization boxes true/false as NSNumber; their Objective-C type is "c" (char).
            if String(cString: n.objCType) == "c" { return .success(.bool(n.boolValue)) }
            let d = n.doubleValue
            if d.rounded() == d, abs(d) < 9e15, String(cString: n.objCType) != "d" { return .success(.int(n.intValue)) }
            return .success(.double(d))
        case let b as Bool: return .success(.bool(b))
        case let i as Int: return .success(.int(i))
        case let d as Double: return .success(.double(d))
        case let items as [Any]:
            var out: [JSONValue] = []
            for item in items {
                switch fromFoundation(item) {
                case .success(let v): out.append(v)
                case .failure(let e): return .failure(e)
                }
            }
            return .success(.array(out))
        case let dict as [String: Any]:
            var out: [(String, JSONValue)] = []
            for key in dict.keys.sorted() {
                guard let item = dict[key] else { continue }
                switch fromFoundation(item) {
                case .success(let v): out.append((key, v))
                case .failure(let e): return .failure(e)
                }
            }
            return .success(.object(out))
        default:
            return .failure(ExportError(.badRecord, "\(type(of: object)) is not a JSON value"))
        }
    }
}
