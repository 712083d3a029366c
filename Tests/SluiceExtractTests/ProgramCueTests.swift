import SluiceCore
import Testing

/// Program names found by their cues (the word "program" after them, an acronym
/// they define) and the guards against generic title-case phrases (issue #18).
@Suite struct ProgramCueTests {
    /// FR 2024-02761 (NEH): "for the X grant program" names the grant program X; a division named "... Programs" is a body.
    @Test func nameBeforeGrantProgram() throws {
        let text = """
            This video meeting will discuss applications on the topic of History, for the Public Scholars grant program, \
            submitted to the Division of Research Programs.
            This meeting will discuss applications for the Scholarly Editions and Translations grant program.
            """
        let names = Set(try extract(text).programs.map(\.name))
        #expect(names == ["Public Scholars", "Scholarly Editions and Translations"])
    }

    @Test(arguments: [
        "Funds go to the Federal program and to every State program.",
        "The Violence Against Women Act (VAWA) programs and the Indian Health Service (IHS) program grew.",
        "OWCP administers the FECA, BLBA and EEOICPA programs.",
        "Permits follow the RCRA Subtitle C program and the Title IV-D program.",
        "Under the program, officers act; the Office of Justice Programs funds it.",
        // An event head followed by "of"/"for" and a capital is inside a longer name (a body, a heading); a dash
        // joined to it goes on with a file's title; "Training" ends headlines; "Upcoming" opens one.
        "The Administrative Conference of the United States adopted a recommendation.",
        "Upcoming Conference for Chief FOIA Officers and FOIA Professionals",
        "○ 5900–664 Leader Award\u{2014}Affordable Builder Application.pdf.",
        "Justice Department Chief FOIA Officer Highlights Importance of FOIA Training",
        // A defined acronym must end the phrase it is used in, and letters that end a body's name are the body's.
        "The Department of Veterans Affairs (VA) treats any veteran who is enrolled in the VA health care system.",
        "The Global Business Identifier (GBI) is a number; firms participating in GBI testing sent data.",
        "The Standard Industrial Code (SIC) lists industries.",
        // A listed body's acronym before a head: that body's instrument, not a program's name.
        "The Indian Health Service (IHS) Memorandum set the policy.",
        // Quoted text that is no program's title.
        "The court ordered production of the \"Field Files.\" The program ended.",
        "Its \"Laws and Regulations\" page lists the Freedom of Information Act.",
        "The agency relied on the \"Freedom of Information Act\" program guidance.",
        "The agency renamed its \"this year's best\" program.",
        // Weak heads without an acronym of their own are common phrases, and "Index (CPI)" is no weak head.
        "Read our Privacy Policy and the Congressional Record; the Review Team met.",
        "Payments rise with the Consumer Price Index (CPI).",
    ])
    func notProgramNames(_ text: String) throws {
        #expect(try extract(text).programs.isEmpty)
    }

    /// BILLSTATUS-114hr22 and THOMAS H.R. 3590 (not gold): "the TRICARE program", "the RAC program" name programs
    /// by an acronym the text never defines; a body's acronym, a plural and an acronym defined as a statute do not.
    @Test func undefinedAcronymBeforeProgram() throws {
        let named = try extract("""
            Coverage administered by the Department of Defense, including the TRICARE program, counts. \
            Requires the Secretary to expand the RAC program to parts C and D.
            """).programs
        #expect(Set(named.map(\.name)) == ["TRICARE", "RAC"])
        let none = try extract("""
            The value to the overall CIA program is weighed. Agencies implement AML programs. \
            The Freedom of Information Act (FOIA) applies, and the FOIA program is reviewed.
            """).programs
        #expect(none.isEmpty)
    }

    /// THOMAS H.R. 3590 and FR 2024-02-12 (not gold) gave "Medicaid Integrity Program and Program" and "Sea Scallop
    /// Rotational Area Management Program and Access Area Program": a head before "and" ends the first name.
    @Test func namesJoinedByAndAreTwo() throws {
        let programs = try extract("""
            The rule changes the Sea Scallop Rotational Area Management Program and Access Area Program. \
            The agency observed National Hunger Awareness Day and Public Service Recognition Week. \
            It funds the Medicaid Integrity Program and Program integrity work.
            """).programs
        #expect(Set(programs.map(\.name)) == [
            "Sea Scallop Rotational Area Management Program", "Access Area Program", "National Hunger Awareness Day",
            "Public Service Recognition Week", "Medicaid Integrity Program", "Medicaid",
        ])
    }

    /// FR 2024-02839 (FEMA): an acronym's letters bound a name with connectors in it, and later
    /// "FY 2023 AFG Program" and "FEMA AFG Program" are the same program.
    @Test func acronymBoundsTheName() throws {
        let text = """
            Assistance to Firefighters Grant Program
            FEMA published a notice describing the fiscal year (FY) 2023 Assistance to Firefighters Grant (AFG) program \
            application process. This notice also announced the application period for the FY 2023 AFG Program, which \
            was also announced on the FEMA AFG Program website.
            """
        let programs = try extract(text).programs
        #expect(programs.count == 1)
        #expect(programs.first?.acronym == "AFG")
        #expect(programs.first?.name == "Assistance to Firefighters Grant")
    }

    /// FR 2024-02801 (AMS): "X (ACR) Program" with a capitalized head.
    @Test func acronymBeforeACapitalizedHead() throws {
        let text = """
            The Draft PEA analyzes the establishment of the Resilient Food Systems Infrastructure (RFSI) Program. \
            The RFSI Program is authorized by section 1001 (b)(4) of the American Rescue Plan Act (ARPA).
            """
        let programs = try extract(text).programs
        #expect(programs.map(\.name) == ["Resilient Food Systems Infrastructure Program"])
        #expect(programs.first?.acronym == "RFSI")
        #expect(programs.first?.mentions.count == 3)
    }

    /// FR 2024-02789 (SSA): "programs" after a list closes each defined name in it, commas inside a name
    /// included (the acronym's letters bound it).
    @Test func definedNamesListedBeforePrograms() throws {
        let text = "SSA administers the Old Age, Survivors, Disability Insurance (OASDI), SSI, and Special Veterans' Benefits (SVB) programs."
        let programs = try extract(text).programs
        #expect(programs.first { $0.acronym == "OASDI" }?.name == "Old Age, Survivors, Disability Insurance")
        #expect(programs.first { $0.acronym == "SVB" }?.name == "Special Veterans' Benefits")
    }

    /// FR 2024-02789 (SSA): a plural possessive inside the name the acronym spells.
    @Test func pluralPossessiveInsideAName() throws {
        let text = "SSA administers the Special Veterans' Benefits (SVB) programs."
        let programs = try extract(text).programs
        #expect(programs.map(\.name) == ["Special Veterans' Benefits"])
        #expect(programs.first?.acronym == "SVB")
    }

    /// FR 2024-02842 (NRC): an evaluative adjective opens a title's name; after a word it opens a description.
    @Test func evaluativeAdjectiveAtATitlesStart() throws {
        let text = """
            Information Collection: Comprehensive Decommissioning Program, Annual Site List
            OIP found that the agency had an Effective System in place.
            """
        #expect(try extract(text).programs.map(\.name) == ["Comprehensive Decommissioning Program"])
    }

    /// FR 2024-02778 (FTA): a preposition only a headline capitalizes marks a headline, not a name.
    @Test func headlineIsNotAName() throws {
        let text = """
            Limitation on Claims Against Proposed Public Transportation Project—METRORapid University Corridor Project, Houston
            A Partnership Through Shared Services Initiative was discussed.
            """
        #expect(try extract(text).programs.map(\.name) == ["METRORapid University Corridor Project"])
    }

    /// congress-xml/govtrack/hr6331-110.xml and hr3590-111.xml (not gold): a name before "programs" does not
    /// run over another program's head or an "and" between two programs, and "X Program" beside the listed
    /// "X" keeps the listed name.
    @Test func coordinatedProgramsAndListedNames() throws {
        let text = """
            The bill extends the Medicare Savings Program and LIS programs, and the Medicare and Medicaid programs. \
            It amends title XVIII to extend expiring provisions under the Medicare Program and Medicare.
            """
        let names = Set(try extract(text).programs.map(\.name))
        #expect(names == ["Medicare Savings Program", "Medicare", "Medicaid"])
    }

    /// Any head after a defined acronym, and a month-long observance.
    @Test func acronymBeforeAnyHeadAndObservanceMonths() throws {
        let text = """
            The Secure Border Enforcement (SBE) Initiative and the SBE Initiative's partners.
            A resolution supporting the designation of "National Hispanic Heritage Month", declared each Month.
            """
        let programs = try extract(text).programs
        #expect(Set(programs.map(\.name)) == ["Secure Border Enforcement Initiative", "National Hispanic Heritage Month"])
        #expect(programs.first { $0.acronym == "SBE" }?.name == "Secure Border Enforcement Initiative")
    }

    /// Named systems, surveys and standards are programs (EXTRACTION.md: "system"): FR 2024-02771 (EPA) names the
    /// Standard Industrial Classification (SIC); hr6331-110 the Office of Minority Health's "Culturally and
    /// Linguistically Appropriate Services (CLAS) Standards", which are no body though their words end like one's.
    @Test func systemsSurveysAndStandards() throws {
        let text = """
            Codes follow the Standard Industrial Classification (SIC) and the North American Industry Classification System. \
            The Public Libraries Survey and the Spectrum Dashboard are published each year.
            Providers follow the Office of Minority Health's Culturally and Linguistically Appropriate Services (CLAS) \
            Standards in health care.
            """
        let entities = try extract(text)
        #expect(Set(entities.programs.map(\.name)) == [
            "Standard Industrial Classification", "North American Industry Classification System", "Public Libraries Survey",
            "Spectrum Dashboard", "Culturally and Linguistically Appropriate Services Standards",
        ])
        #expect(entities.programs.first { $0.acronym == "CLAS" }?.name == "Culturally and Linguistically Appropriate Services Standards")
        #expect(!entities.agencies.contains { $0.acronym == "CLAS" })
    }

    /// FR 2024-02789 (SSA), FR 2024-02839 (FEMA), DOJ OIP 2010-07-29: a weak head ("Record", "Panel") names a
    /// program where the text defines an acronym of its initials; a lower-case "database" closes a name and is its
    /// own last word, where "program" is not.
    @Test func weakHeadsWithAnAcronymAndDatabases() throws {
        let text = """
            SSA will match the Master Beneficiary Record (MBR) against the file. Later the MBR is updated.
            FEMA convened the Criteria Development Panel (CDP) to review the criteria.
            The Department of Transportation, FAA is posting its National Wildlife Strike database.
            """
        let programs = try extract(text).programs
        #expect(Set(programs.map(\.name)) == ["Master Beneficiary Record", "Criteria Development Panel", "National Wildlife Strike database"])
        // The name, its acronym where defined, and the later "MBR".
        #expect(programs.first { $0.name == "Master Beneficiary Record" }?.mentions.count == 3)
        #expect(programs.first { $0.name == "Criteria Development Panel" }?.acronym == "CDP")
    }

    /// FR 2024-02771 (EPA): file names are not names; the lower-case "Indoor AirPlus program" is the
    /// same program as "Indoor AirPlus Program".
    @Test func mixedCaseWordsAndFileNames() throws {
        let text = """
            Comment Request; Indoor AirPlus Program (New)
            This ICR covers activities under the EPA's newly revised Indoor AirPlus program.
            ○ 5900–662 Join Indoor AirPlus Partnership Agreement—Stand Alone Program_Form.docx.
            ○ 5900–669 Join Indoor AirPlus V2_Draft Certification System_LIVE.docx.
            """
        let programs = try extract(text).programs
        #expect(programs.count == 1)
        #expect(programs.first.map { Entities.foldName($0.name) } == Entities.foldName("Indoor AirPlus Program"))
    }

    /// FR 2024-02740 (VA): a grant with a name of three words or more is a program; "Full Grant" is a disposition.
    @Test func namedGrants() throws {
        let text = """
            Updates on Choctaw Nation Behavioral Health/VA Staff Sergeant Fox Grant for the suicide prevention program.
            Requests were closed as a Full Grant or a Partial Grant.
            """
        #expect(try extract(text).programs.map(\.name) == ["VA Staff Sergeant Fox Grant"])
    }

    /// Funds, awards, courses and events are named by their heads like programs; the mention spans the name.
    @Test func fundAwardAndEventHeads() throws {
        let text = """
            The bill rescinds amounts in the Highway Trust Fund and creates the Pregnancy Assistance Fund.
            OIP will present the Freedom of Information Award at the Interagency FOIA Symposium.
            """
        let programs = try extract(text).programs
        #expect(Set(programs.map(\.name)) == ["Highway Trust Fund", "Pregnancy Assistance Fund", "Freedom of Information Award",
                                              "Interagency FOIA Symposium"])
        for p in programs {
            #expect(p.mentions.map { slice(text, $0) } == [p.name])
        }
    }

    @Test func upcomingIsNoPartOfTheName() throws {
        let text = "Upcoming Interagency FOIA Symposium"
        let programs = try extract(text).programs
        #expect(programs.map(\.name) == ["Interagency FOIA Symposium"])
        #expect(programs.first.map { $0.mentions.map { slice(text, $0) } } == ["Interagency FOIA Symposium"])
    }

    /// FR 2024-02806 (VA): a name defined with an acronym and no program head is a program where the text has
    /// people taking part in it ("participating in VR&E") or the acronym before a lower-case "program".
    @Test func definedAcronymUsedAsAProgram() throws {
        let text = """
            Abstract: Veteran Readiness and Employment (VR&E) is conducting a Longitudinal Study of veterans \
            participating in VR&E.
            Applicants may request Deferred Action for Childhood Arrivals (DACA). The DACA program began in 2012.
            """
        let programs = try extract(text).programs
        let vre = programs.first { $0.acronym == "VR&E" }
        #expect(vre?.name == "Veteran Readiness and Employment")
        #expect(vre.map { $0.mentions.map { slice(text, $0) } } == ["Veteran Readiness and Employment"])
        #expect(programs.first { $0.acronym == "DACA" }?.name == "Deferred Action for Childhood Arrivals")
    }

    /// A quoted title is a program where a program word follows it or it is introduced as one's title; the
    /// quotation marks bound the name, lower-case words and all.
    @Test func quotedTitles() throws {
        let text = """
            The Department of Education posted 33,000 pages regarding its "Race to the Top" program.
            OIP held a training session entitled \u{201C}Introduction to the Freedom of Information Act for Attorneys\u{201D} in May.
            """
        let programs = try extract(text).programs
        #expect(Set(programs.map(\.name)) == ["Race to the Top", "Introduction to the Freedom of Information Act for Attorneys"])
        let race = programs.first { $0.name == "Race to the Top" }
        #expect(race.map { $0.mentions.map { slice(text, $0) } } == ["Race to the Top"])
    }

    /// "and" before a second "Operation" joins two operations; inside one name it stays ("Operation Fast and Furious").
    @Test func coordinatedOperations() throws {
        let text = "Grants serve veterans of Operation Desert Calm and Operation Quiet Harbor; ATF ran Operation Fast and Furious."
        let programs = try extract(text).programs
        #expect(Set(programs.map(\.name)) == ["Operation Desert Calm", "Operation Quiet Harbor", "Operation Fast and Furious"])
        let calm = programs.first { $0.name == "Operation Desert Calm" }
        #expect(calm.map { $0.mentions.map { slice(text, $0) } } == ["Operation Desert Calm"])
    }

    /// A news headline's subject and verb come before the name: the name starts after the verb.
    @Test func nameAfterHeadlineVerb() throws {
        let text = """
            EPA Continues to Update Toxic Release Inventory Database
            Launched in 2012, the Toxic Release Inventory Database has grown.
            NASA Unveils Deep Space Network
            The Deep Space Network links three sites.
            """
        let programs = try extract(text).programs
        #expect(Set(programs.map(\.name)) == ["Toxic Release Inventory Database", "Deep Space Network"])
        #expect(programs.first { $0.name.hasPrefix("Toxic") }.map { $0.mentions.map { slice(text, $0) } }
                == ["Toxic Release Inventory Database", "Toxic Release Inventory Database"])
    }

    /// A defined name with a hyphened compound ("Low-income") after "the", used later as a project: a program.
    /// "of the" before the name still makes it the end of a body's name.
    @Test func hyphenedDefinedNameUsedAsAProject() throws {
        let text = """
            Using the Low-income Roof Repair Effort (LRRE), crews fixed 300 homes. The LRRE project ends in May.
            The Secretary of the Bureau of Land Management (BLM) program office agreed.
            """
        let programs = try extract(text).programs
        #expect(programs.map(\.name) == ["Low-income Roof Repair Effort"])
        #expect(programs.first?.acronym == "LRRE")
        #expect(programs.first.map { $0.mentions.map { slice(text, $0) } } == ["Low-income Roof Repair Effort", "LRRE", "LRRE"])
    }

    /// A headline capitalizes its object: a name only a headline gives is dropped, one the story names again is
    /// kept, and a summary's sentence ("Creates the ... Fund.") is no headline.
    @Test func headlineOnlyNames() throws {
        let text = """
            FEC Updates Campaign Finance Database
            The commission added campaign finance reports to its database.
            EPA Launches Toxic Release Inventory Database
            The Toxic Release Inventory Database lists releases.
            (Sec. 188) Creates the Rural Clinic Improvement Fund. Provides funding.
            """
        let programs = try extract(text).programs
        #expect(Set(programs.map(\.name)) == ["Toxic Release Inventory Database", "Rural Clinic Improvement Fund"])
        let tri = programs.first { $0.name == "Toxic Release Inventory Database" }
        #expect(tri.map { $0.mentions.map { slice(text, $0) } } == ["Toxic Release Inventory Database", "Toxic Release Inventory Database"])
    }

    /// An acronym spelled out right after it, in words of any case, as a program: a program with that acronym,
    /// mentioned again by it. Not where the parenthesis is no program or the acronym is a body's.
    @Test func acronymThenDescription() throws {
        let text = """
            Extends HOPE (home ownership planning program) grants through FY2010. Includes among HOPE grant purposes housing.
            Directs the FBI (the bureau's records program) and SSA (benefit payment program) to report.
            The LIHEAP (low income home energy assistance) funds rose.
            """
        let programs = try extract(text).programs
        #expect(programs.map(\.name) == ["home ownership planning program"])
        #expect(programs.first?.acronym == "HOPE")
        #expect(programs.first.map { $0.mentions.map { slice(text, $0) }.sorted() } == ["HOPE", "HOPE", "home ownership planning program"])
    }

    /// A listed program's name inside a body's name is no mention of the program; on its own, or before a
    /// program word, it is.
    @Test func programNameInsideABodysName() throws {
        let text = """
            HHS, Centers for Medicare and Medicaid Services implemented a tracking system.
            The Medicare Payment Advisory Commission studied the Medicare program.
            """
        let programs = try extract(text).programs
        #expect(programs.map(\.name) == ["Medicare"])
        #expect(programs.first.map { $0.mentions.map { slice(text, $0) } } == ["Medicare"])
    }
}
