import SluiceOutbox
import SluiceCore
import Testing
@testable import SluiceExport

@Suite("JSON Schema validator")
struct SchemaValidatorTests {
    static let schema = """
        {"type": "object", "required": ["n"], "additionalProperties": {"type": "string"},
         "properties": {
           "n": {"type": "integer", "minimum": 1, "maximum": 9},
           "x": {"type": "number"},
           "t": {"type": ["string", "null"], "minLength": 2},
           "one": {"oneOf": [{"type": "string"}, {"type": "string", "pattern": "^a"}]},
           "ref": {"$ref": "#/$defs/flag"},
           "list": {"type": "array", "items": {"$ref": "#/$defs/flag"}}
         },
         "$defs": {"flag": {"enum": [true, "yes", 1]}}}
        """

    static let cases: [(String, [String])] = [
        (#"{"n": 3}"#, []),
        (#"{"n": 3.0, "x": 2}"#, []),
        (#"{"n": 0}"#, ["/n: 0 is less than 1"]),
        (#"{"n": 10}"#, ["/n: 10 is more than 9"]),
        (#"{"n": 2.5}"#, ["/n: expected integer, found number"]),
        (#"{"n": true}"#, ["/n: expected integer, found boolean"]),
        (#"{}"#, ["/: missing required key \"n\""]),
        (#"{"n": 1, "t": null}"#, []),
        (#"{"n": 1, "t": "a"}"#, ["/t: shorter than 2 characters"]),
        (#"{"n": 1, "other": 5}"#, ["/other: expected string, found integer"]),
        (#"{"n": 1, "one": "bc"}"#, []),
        (#"{"n": 1, "one": "ab"}"#, ["/one: matches 2 of the forms where exactly one is required (oneOf)"]),
        (#"{"n": 1, "ref": "yes", "list": [true, 1.0]}"#, []),
        (#"{"n": 1, "list": [true, "no"]}"#, [#"/list/1: "no" is not one of [true,"yes",1]"#]),
        (#"[1]"#, ["/: expected object, found array"]),
    ]

    @Test("keywords behave as draft 2020-12 says", arguments: 0..<cases.count)
    func keywords(_ index: Int) throws {
        let validator = try SchemaValidator(schema: try JSONReader.parse(SchemaValidatorTests.schema))
        let (instance, expected) = SchemaValidatorTests.cases[index]
        #expect(validator.validate(try JSONReader.parse(instance)) == expected)
    }

    @Test("an unresolvable $ref is reported, not ignored")
    func badRef() throws {
        let validator = try SchemaValidator(schema: try JSONReader.parse(##"{"$ref": "#/$defs/missing"}"##))
        #expect(validator.validate(.int(1)) == ["/: cannot resolve $ref #/$defs/missing"])
    }
}

@Suite("JSON reader")
struct JSONReaderTests {
    @Test("keeps key order, tells integers from doubles and booleans, decodes escapes")
    func parses() throws {
        let v = try JSONReader.parse(#" {"z":1,"a":1.5,"m":true,"s":"\u00e9\n\ud83d\ude00\"","n":null,"l":[]} "#)
        guard case .object(let pairs) = v else {
            Issue.record("not an object")
            return
        }
        #expect(pairs.map(\.0) == ["z", "a", "m", "s", "n", "l"])
        #expect(v["z"] == .int(1))
        #expect(v["a"] == .double(1.5))
        #expect(v["m"] == .bool(true))
        #expect(v["s"] == .string("é\n😀\""))
        #expect(v["n"] == .null)
        #expect(v["l"] == .array([]))
        // Round trip through the pipeline's writer.
        #expect(try JSONReader.parse(v.serialized()) == v)
    }

    @Test("rejects broken JSON with a position", arguments: [#"{"a":}"#, #"{"a":1"#, #"[1,]"#, #""abc"#, #"{"a":1} x"#, #""\ud800""#, "tru"])
    func rejects(_ text: String) {
        do {
            _ = try JSONReader.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.code == .malformed)
            #expect(error.message.contains("at byte"))
        }
    }
}
