import Testing
@testable import CircuitIR
