import SluiceCore
import Testing

@Suite struct ProgramTests {
    @Test func namedPoliciesAreProgramsUnderTheirFullestForm() throws {
        let programs = try extract(try fixture("oip-101112.html")).programs
        let names = Set(programs.map { Entities.foldName($0.name) })
        #expect(names.contains(Entities.foldName("Attorney General Holder's FOIA Guidelines")))
        #expect(names.contains(Entities.foldName("President Obama's FOIA Memorandum")))
        #expect(names.contains(Entities.foldName("White House Memorandum")))
        // Short forms ("the Attorney General's FOIA Guidelines", "his FOIA Guidelines") are the same program.
        #expect(!names.contains("foia guidelines"))
        #expect(programs.count == 3)
    }

    @Test func workingGroupsAndTrainingCourses() throws {
        let text = """
            Given the level of interest in the FOIA Best Practices Working Group, OIP is moving up the date.
            Best Practices Working Group
            Please register for the Best Practices Working Group (or for the Technology Working Group to be held on June 10).
            """
        let names = Set(try extract(text).programs.map(\.name))
        #expect(names == ["FOIA Best Practices Working Group", "Technology Working Group"])
    }

    @Test func programWithAnAgencyInItAndItsAcronym() throws {
        let entities = try extract(try fixture("2011-29462.xml"))
        let siprnet = try #require(entities.programs.first { $0.acronym == "SIPRNET" })
        #expect(siprnet.name == "Department of Defense Secret Internet Protocol Router Network")
        #expect(entities.agencies.contains { $0.name == "Department of Defense" })
    }

    @Test func statutesAgenciesAndDescriptionsAreNotPrograms() throws {
        let text = """
            The Freedom of Information Act and the Paperwork Reduction Act of 1995 apply.
            The Office of Justice Programs funds two FOIA Working Groups; the BOP Program Statements were released.
            Under the 287(g) program, officers act.
            """
        let programs = try extract(text).programs
        #expect(programs.map(\.name) == ["287(g) Program"])
    }
}
