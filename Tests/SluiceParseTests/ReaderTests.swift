import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceParse

@Suite("XML fields, text lines and titles")
struct ReaderTests {
    @Test("fields: document order, depth, attributes as written without xmlns, own text, namespaces")
    func fields() throws {
        let xml = """
            <?xml version="1.0"?>
            <r:report xmlns:r="urn:r" xmlns:s="urn:s" s:id="R1" TYPE="x">
              <r:name>  Department   of <r:em>State</r:em> records  </r:name>
              <item n="1"/>
            </r:report>
            """
        let document = try parse(xml: xml)[0]
        #expect(document.fields.map(\.name.qualified) == ["r:report", "r:name", "r:em", "item"])
        #expect(document.fields.map(\.depth) == [0, 1, 2, 1])
        #expect(document.fields[0].attributes.map(\.name) == ["s:id", "TYPE"])
        #expect(document.fields[0].attribute("s:id") == "R1")
        #expect(document.fields[0].attribute("id") == "R1")
        #expect(document.fields[0].name.namespace == "urn:r")
        #expect(document.fields[1].text == "Department of records")
        #expect(document.fields[2].text == "State")
        #expect(document.fields[3].attribute("n") == "1")
        #expect(document.fields[3].name.namespace == nil)
        #expect(document.root == XMLName(namespace: "urn:r", local: "report", prefix: "r"))
    }

    @Test("own text joins direct text around children with the right spacing")
    func mixedContent() throws {
        let document = try parse(xml: "<P>text <E>x</E>more and<E>y</E> end<E>z</E>tail</P>")[0]
        #expect(document.fields[0].text == "text more and endtail")
        #expect(document.text == "text xmore andy endztail")
    }

    @Test("blocks on their own lines; inline elements and table cells stay on the line")
    func lines() throws {
        let xml = """
            <RULE><HD>Heading</HD><P>First <E T="03">emphasis</E> paragraph<PRTPAGE P="1"/> continues.</P>
            <GPOTABLE><ROW><ENT>a</ENT><ENT>b</ENT></ROW><ROW><ENT>c</ENT><ENT>d</ENT></ROW></GPOTABLE></RULE>
            """
        let document = try parse(xml: xml)[0]
        #expect(document.text == "Heading\nFirst emphasis paragraph continues.\na b\nc d")
    }

    @Test(
        "titles by document type",
        arguments: [
            ("federal-register-xml/documents/2016-13878.xml", "Recordkeeping Regulations"),
            ("congress-xml/billstatus/BILLSTATUS-114hjres45.xml", "Proposing an amendment to the Constitution of the United States to protect the rights of crime victims."),
            ("cfr-xml/annual/CFR-2018-title11-vol1-part2.xml", "PART 2\u{2014}SUNSHINE REGULATIONS; MEETINGS"),
        ])
    func titles(_ path: String, _ title: String) throws {
        let document = try parse(try Fixtures.bytes(path), name: path)[0]
        #expect(document.title == title)
    }

    @Test("an FR rule's title is its SUBJECT, not the signer's TITLE")
    func ruleSubjectBeatsSignerTitle() throws {
        let xml = "<RULE><PREAMB><SUBJECT>The rule</SUBJECT></PREAMB><SIG><NAME>A</NAME><TITLE>Acting Under Secretary</TITLE></SIG></RULE>"
        #expect(try parse(xml: xml)[0].title == "The rule")
    }

    @Test("HTML: title, meta description and date, headings and rows as lines, script and style dropped")
    func html() throws {
        let html = """
            <html><head><title> Page  title </title><meta name="description" content="About it">
            <meta name="DC.date" content="2011-05-04"><style>p{}</style><script>var secret = 1;</script></head>
            <body><h1>Heading</h1><p>Para <b>bold</b> text</p><table><tr><td>a</td><td>b</td></tr></table>
            <noscript>no script</noscript><template><p>tpl</p></template></body></html>
            """
        let document = try parse(Array(html.utf8), name: "page.html")[0]
        #expect(document.mediaType == .html)
        #expect(document.title == "Page title")
        #expect(document.meta["description"] == "About it")
        #expect(document.meta["date"] == "2011-05-04")
        #expect(document.text == "Heading\nPara bold text\na b")
    }

    @Test("media type comes from the content: HTML saved as .xml, CFR XML with <HEADER>")
    func mediaType() throws {
        let html = try parse(Array("<html><body><p>x</p></body></html>".utf8), name: "page.xml")[0]
        #expect(html.mediaType == .html)
        let xhtml = "<?xml version=\"1.0\"?>\n<!-- c --><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x.dtd\"><html><body><p>x&nbsp;y</p></body></html>"
        #expect(try parse(Array(xhtml.utf8), name: "bill.xml")[0].mediaType == .html)
        let rule = try parse(xml: "<RULE><PREAMB><SUBJECT>s</SUBJECT></PREAMB></RULE>", name: "rule.htm")
        #expect(rule.first?.mediaType == .xml)
        let cfr = try parse(xml: "<CFRDOC><HEADER><P>h</P></HEADER><TEXT><P>body</P></TEXT></CFRDOC>", name: "t.XML")
        #expect(cfr.first?.mediaType == .xml)
    }

    @Test("malformed XML fails with libxml2's message and line")
    func malformed() {
        let error = parseError(Array("<a>\n<b>\n</a>".utf8), name: "bad.xml")
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("line 3") == true)
        #expect(error?.message.contains("libxml2") == true)
    }
}
