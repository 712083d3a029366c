/// Agency names as printed in capitals by the Federal Register and the CFR, turned into the
/// gazetteer's style: "DEPARTMENT OF HOMELAND SECURITY" -> "Department of Homeland Security".
enum AgencyName {
    static let smallWords: Set<String> = ["of", "and", "the", "for", "on", "in", "to", "a", "an", "at", "by", "or", "with"]

    /// Title case for a name written in capitals; names already in mixed case are kept as written
    /// (only whitespace is collapsed and a trailing period or comma dropped).
    static func canonical(_ raw: String) -> String {
        var name = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        while let last = name.last, last == "." || last == "," || last == ";" {
            // Keep the period of a final abbreviation such as "U.S." or "Inc.".
            if last == ".", name.dropLast().split(separator: " ").last?.contains(".") == true { break }
            name.removeLast()
        }
        guard name.contains(where: { $0.isLetter }), !name.contains(where: { $0.isLowercase }) else { return name }
        var words: [String] = []
        for (position, word) in name.split(separator: " ").enumerated() {
            words.append(titleCase(String(word), first: position == 0))
        }
        return words.joined(separator: " ")
    }

    private static func titleCase(_ word: String, first: Bool) -> String {
        let lower = word.lowercased()
        if !first, smallWords.contains(lower) { return lower }
        // Abbreviations with periods ("U.S.") and roman numerals stay in capitals.
        if word.contains(".") || isRomanNumeral(word) { return word }
        var out = ""
        var startOfPart = true
        for character in lower {
            out.append(startOfPart ? Character(character.uppercased()) : character)
            // Each part of "ALCOHOL-TOBACCO" or "(CONTINUED)" starts with a capital.
            startOfPart = !character.isLetter && character != "'"
        }
        return out
    }

    /// "II", "XIV": chapter numbers, never words (the lone "I" is taken as a numeral too,
    /// which only matters for "CHAPTER I").
    private static func isRomanNumeral(_ word: String) -> Bool {
        word.count <= 5 && word.allSatisfy { "IVXL".contains($0) }
    }
}
