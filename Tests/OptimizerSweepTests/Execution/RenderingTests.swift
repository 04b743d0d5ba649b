import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

@Suite("Rendering values and commands")
struct RenderingTests {
    @Test func numbersRenderShortestWithoutDotZeroForInts() {
        #expect(renderedForShell(.int(3)) == "3")
        #expect(renderedForShell(.int(-12)) == "-12")
        #expect(renderedForShell(.double(0.001)) == "0.001")
        #expect(renderedForShell(.double(0.1 + 0.2)) == "0.30000000000000004")
        #expect(renderedForShell(.double(1e-5)) == "1e-05")
        #expect(renderedForShell(.double(2)) == "2.0")
        #expect(renderedForShell(.double(1e16)) == "1e+16")
        // Every form is accepted by Python's float() and round-trips.
        for x in [0.001, 1e-5, 123456.789, 1e16, Double.leastNonzeroMagnitude, 0.1 + 0.2] {
            #expect(Double(renderedForShell(.double(x))) == x)
        }
    }

    @Test func stringsAreVerbatimOnlyWhenSafe() {
        #expect(renderedForShell(.string("adam")) == "adam")
        #expect(renderedForShell(.string("a-b_c.d,e:f/g=h+i@j%k")) == "a-b_c.d,e:f/g=h+i@j%k")
        #expect(renderedForShell(.string("<script>")) == "'<script>'")
        #expect(renderedForShell(.string("a b; rm -rf /")) == "'a b; rm -rf /'")
        #expect(renderedForShell(.string("it's")) == "'it'\\''s'")
        #expect(renderedForShell(.string("$(id)")) == "'$(id)'")
        #expect(renderedForShell(.string("")) == "''")
        #expect(renderedForShell(.string("naïve")) == "'naïve'")
    }

    @Test func quotedStringsSurviveTheShell() throws {
        for text in ["a b; rm -rf /", "it's \"quoted\"", "$(id) `id` \\ *", "<script>", "", "tab\there\nnewline"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "printf %s " + renderedForShell(.string(text))]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(String(decoding: data, as: UTF8.self) == text)
        }
    }

    @Test func mappingsRenderAsCompactJSON() {
        let value = ParameterValue.mapping([.init(name: "kind", value: .string("svm")), .init(name: "C", value: .double(0.5)),
                                            .init(name: "k", value: .int(3)), .init(name: "q\"", value: .string("a\nb"))])
        #expect(value.jsonText == #"{"kind":"svm","C":0.5,"k":3,"q\"":"a\nb"}"#)
        #expect(renderedForShell(value) == #"'{"kind":"svm","C":0.5,"k":3,"q\"":"a\nb"}'"#)
        let configuration = Configuration(names: ["lr", "m"], values: [.double(1e-5), value])
        let parsed = try? JSONSerialization.jsonObject(with: Data(configuration.jsonText.utf8)) as? [String: Any]
        #expect(parsed?["lr"] as? Double == 1e-5)
        #expect(ParameterValue.double(.infinity).jsonText == "Infinity")
    }

    @Test func renderCommandSubstitutesEveryForm() throws {
        let configuration = Configuration(names: ["lr", "opt", "layers"], values: [.double(0.01), .string("a b"), .int(2)])
        let template = "python train.py --lr ${{search_space.lr}} --opt ${{ search_space.opt }} --layers {search_space.layers} --data ${{inputs.data}} --out ${{outputs.model}} --x ${{search_space.missing}}"
        let rendered = try renderCommand(template, configuration: configuration,
                                     inputs: ["data": "/data/my file.csv"], outputs: ["model": "/tmp/t0/model"])
        #expect(rendered == "python train.py --lr 0.01 --opt 'a b' --layers 2 --data '/data/my file.csv' --out /tmp/t0/model --x ${{search_space.missing}}")
    }

    /// HyperDrive v1 style, on request: no search_space placeholder → `--name value` pairs
    /// appended, before the trailing newline of a `command: |` block. Without the request the
    /// command runs unchanged, as on Azure v2.
    @Test func renderCommandAppendsArgumentsInV1StyleOnlyWhenAsked() throws {
        let configuration = Configuration(names: ["lr", "opt"], values: [.double(0.01), .string("a b")])
        func render(_ template: String, append: Bool) throws -> String {
            try renderCommand(template, configuration: configuration, inputs: ["data": "d.csv"], outputs: [:], appendArguments: append)
        }
        #expect(try render("python train.py --data ${{inputs.data}}", append: true) == "python train.py --data d.csv --lr 0.01 --opt 'a b'")
        #expect(try render("python train.py --data ${{inputs.data}}", append: false) == "python train.py --data d.csv")
        #expect(try render("python3 train.py\n", append: true) == "python3 train.py --lr 0.01 --opt 'a b'\n")
        #expect(try render("python3 train.py\n", append: false) == "python3 train.py\n")
        // One placeholder is enough to switch v1 style off.
        #expect(try render("run ${{search_space.lr}}", append: true) == "run 0.01")
    }

    @Test func placeholdersAreFound() {
        let found = commandPlaceholders(in: "a ${{search_space.x}} ${{inputs.d}} {search_space.y} ${{foo}} ${{ outputs.o }}")
        #expect(found.map(\.text) == ["${{search_space.x}}", "${{inputs.d}}", "{search_space.y}", "${{foo}}", "${{ outputs.o }}"])
        #expect(found.map(\.isLegacy) == [false, false, true, false, false])
        #expect(found[3].namespace == nil)
        #expect(found[4].namespace == .outputs && found[4].name == "o")
    }
}
