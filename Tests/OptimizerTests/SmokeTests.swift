import Testing
@testable import Optimizer

@Test func versionIsSemantic() {
    #expect(Optimizer.version.split(separator: ".").count == 3)
}
