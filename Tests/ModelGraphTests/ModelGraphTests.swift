import Testing
@testable import ModelGraph
