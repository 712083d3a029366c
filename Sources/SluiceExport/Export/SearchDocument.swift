import SluiceCore

/// The flattened search document the OpenSearch and Meilisearch exports write for each record:
/// source fields at the top level, entity names as plain string arrays (filterable keywords),
/// dates with their day spans, counts without their mentions.
enum SearchDocument {
    /// Fields both search engines get.
    static func common(_ r: FlatRecord) -> [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = [("id", .string(r.id))]
        for key in ["release", "member", "part", "sha256", "bytes", "media_type", "encoding"] {
            if let v = r.source[key] { pairs.append((key, v)) }
        }
        pairs.append(("title", .optional(r.title)))
        if let text = r.text { pairs.append(("text", .string(text))) }
        // Not "properties": a field of that name confuses tools that read OpenSearch mappings (it is also the mapping keyword).
        if let properties = r.properties { pairs.append(("document_properties", properties)) }
        pairs += [
            ("agency_names", strings(r.agencyNames)),
            ("agency_acronyms", strings(r.agencyAcronyms)),
            ("agency_parents", strings(r.agencyParents)),
            ("program_names", strings(r.programNames)),
            ("program_acronyms", strings(r.programAcronyms)),
            ("date_values", strings(FlatRecord.distinct(r.dates.map(\.value)))),
            ("dates", .array(r.dates.map { d in
                .object([
                    ("value", .string(d.value)), ("precision", .string(d.precision)),
                    ("start", .optional(d.span?.start)), ("end", .optional(d.span?.end)),
                ])
            })),
            ("first_date", .optional(r.firstDate)),
            ("last_date", .optional(r.lastDate)),
            ("counts", .array(r.counts.map { c in
                var pairs: [(String, JSONValue)] = [
                    ("value", .double(c.value)), ("unit", .string(c.unit)),
                    ("subject", .optional(c.subject)), ("qualifier", .optional(c.qualifier)),
                ]
                if let context = c.context { pairs.append(("context", context)) }
                return .object(pairs)
            })),
            ("pipeline", .optional(r.producedBy?["pipeline"]?.stringValue)),
            ("sluice_version", .optional(r.producedBy?["sluice"]?.stringValue)),
        ]
        return pairs
    }

    /// The OpenSearch document: date fields are ISO days, mapped as `date` in opensearch-mapping.json.
    static func openSearch(_ r: FlatRecord) -> JSONValue {
        .object(common(r))
    }

    /// The Meilisearch document: Meilisearch compares only numbers with `<`/`>`, so dates also
    /// appear as years and as the first day in Unix seconds.
    static func meilisearch(_ r: FlatRecord) -> JSONValue {
        var years = Set<Int>()
        for d in r.dates {
            guard let span = d.span, let a = Int(span.start.prefix(4)), let b = Int(span.end.prefix(4)), a <= b else { continue }
            for y in a...b { years.insert(y) }
        }
        var pairs = common(r)
        pairs.append(("years", .array(years.sorted().map { JSONValue.int($0) })))
        pairs.append(("first_date_ts", r.firstDate.flatMap(unixSeconds).map(JSONValue.int) ?? .null))
        return .object(pairs)
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// Seconds since 1970-01-01 at midnight UTC of an ISO day (days-from-civil, proleptic Gregorian).
    static func unixSeconds(_ day: String) -> Int? {
        let parts = day.split(separator: "-")
        guard parts.count == 3, let y0 = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * 86_400
    }
}
